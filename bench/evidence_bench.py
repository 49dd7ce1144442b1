"""Claim-pack figures: OCR speed and accuracy, triage latency while OCR runs, dossier build.

    .venv/bin/python -m bench.evidence_bench              # everything
    .venv/bin/python -m bench.evidence_bench --only ocr   # ocr | latency | dossier | accuracy

Screenshots are rendered here with Pillow and the repository's font (tests/screenshots.py);
nothing touches the network. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from bot.evidence.documents import CHANNEL_KEYS
from bot.evidence.model import Channel, ContactChannel, EvidenceFile, FileKind, Transaction
from bot.evidence.ocr import Reader
from bot.evidence.parse import read_receipt
from bot.evidence.pdf import dossier
from bot.evidence.snapshot import ItemLine, LogLine, Snapshot
from bot.i18n import Translator
from bot.settings import Settings
from bot.store.cases import CaseStatus
from tests.conftest import FakeClock, make_settings, start_harness, stop_harness
from tests.screenshots import samples

TZ = Settings(_env_file=None, bot_token=None).tz  # type: ignore[call-arg]


def one_core() -> None:
    """Pin this process to one CPU so 'seconds per screenshot' means one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def bench_ocr(n: int) -> None:
    """Seconds per screenshot for the OCR alone, one thread on one core."""
    images = samples(n)
    reader = Reader(threads=1)
    start = time.perf_counter()
    reader.read_sync(images[0][0])  # loads the models
    load = time.perf_counter() - start
    times = []
    for data, _ in images:
        t = time.perf_counter()
        reader.read_sync(data)
        times.append(time.perf_counter() - t)
    reader.close()
    print(f"OCR, one core, {n} screenshots of 720x1280: first call (model load + read) "
          f"{load:.2f} s; then median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s per screenshot")


def bench_accuracy(n: int) -> None:
    """Fields read right out of fields shown, on rendered order pages and payment records."""
    reader = Reader(threads=1)
    right = total = 0
    wrong: dict[str, int] = {"order": 0, "at": 0, "amount": 0, "channel": 0}
    now = time.time()
    for data, truth in samples(n, seed=2026):
        found = read_receipt(reader.read_sync(data), now, TZ)
        got = {
            "order": found.order if found else None,
            "at": found.at if found else None,
            "amount": found.amount if found else None,
            "channel": found.channel.value if found and found.channel else None,
        }
        want = {"order": truth.order, "at": truth.at, "amount": truth.amount,
                "channel": truth.channel}
        for field, value in want.items():
            total += 1
            if got[field] == value:
                right += 1
            else:
                wrong[field] += 1
    reader.close()
    print(f"Extraction accuracy on {n} rendered screenshots: {right}/{total} fields right "
          f"({100 * right / total:.1f} %); wrong by field: {wrong}")


async def bench_latency(presses: int, screenshots: int) -> None:
    """Triage reply latency while screenshots are read, against idle."""
    images = [data for data, _ in samples(screenshots, seed=7)]
    with tempfile.TemporaryDirectory() as folder:
        h = await start_harness(make_settings(Path(folder)), FakeClock())
        try:
            from bot.evidence.handlers import evidence_of

            reader = evidence_of(h.svc).reader
            await reader.warm_up()
            await h.send("/start")
            await h.press(h.t("btn-consent-yes"))
            label = h.t(h.svc.flow.symptoms[0].label)

            async def press_times(until: asyncio.Future[object] | None) -> list[float]:
                out = []
                while (until is None and len(out) < presses) or (
                        until is not None and not until.done()):
                    t = time.perf_counter()
                    await h.press(label)
                    out.append(time.perf_counter() - t)
                    await asyncio.sleep(0.005)  # a user's pace, not a tight loop
                return out

            idle = await press_times(None)
            start = time.perf_counter()
            reads = asyncio.ensure_future(asyncio.gather(*(reader.read(d) for d in images)))
            busy = await press_times(reads)
            await reads
            took = time.perf_counter() - start
            # The same while the bot's PDF worker builds a 20 + 30 dossier.
            pool = evidence_of(h.svc).pdf_pool
            snap, words = dossier_snapshot(20, 30), Translator()

            def t(key: str, **variables: object) -> str:
                return words("zh-CN", key, **variables)  # type: ignore[arg-type]

            loop = asyncio.get_running_loop()
            await loop.run_in_executor(pool, dossier, t, dossier_snapshot(1, 1))
            building = asyncio.ensure_future(loop.run_in_executor(pool, dossier, t, snap))
            pdf_busy = await press_times(building)
            await building
        finally:
            await stop_harness(h)

    def q(values: list[float], p: float) -> float:
        return sorted(values)[min(len(values) - 1, int(p * len(values)))] * 1000

    print(f"Triage reply (symptom toggle) idle: median {q(idle, 0.5):.2f} ms, "
          f"p95 {q(idle, 0.95):.2f} ms ({len(idle)} presses)")
    print(f"... while {screenshots} screenshots are read ({took:.1f} s): median "
          f"{q(busy, 0.5):.2f} ms, p95 {q(busy, 0.95):.2f} ms ({len(busy)} presses)")
    print(f"Ratio busy/idle: median {q(busy, 0.5) / q(idle, 0.5):.2f}x, "
          f"p95 {q(busy, 0.95) / q(idle, 0.95):.2f}x")
    print(f"... while a 20 + 30 dossier is built: median {q(pdf_busy, 0.5):.2f} ms, "
          f"p95 {q(pdf_busy, 0.95):.2f} ms, max {max(pdf_busy) * 1000:.1f} ms "
          f"({len(pdf_busy)} presses)")


def dossier_snapshot(transactions: int, screenshots: int) -> Snapshot:
    """A case with ``transactions`` transactions and ``screenshots`` filed screenshots."""
    images = samples(screenshots, seed=11)
    channels = list(Channel)
    txs = tuple(
        Transaction(id=n, case_id=1, order_no=f"2{n:011d}", at=f"2026-11-{1 + n % 28:02d} 10:00",
                    amount=Decimal(100 + n), channel=channels[n % len(channels)],
                    created_at=0.0, updated_at=0.0)
        for n in range(1, transactions + 1))
    files = tuple(
        EvidenceFile(id=n, case_id=1, item="tx_screenshots", kind=FileKind.IMAGE,
                     file_id=f"f{n}", file_unique_id=f"u{n}", file_name=f"order-{n}.png",
                     mime="image/png", size=len(data), sha256=f"{n:064x}", note=None,
                     received_at=0.0)
        for n, (data, _) in enumerate(images, 1))
    log = tuple(LogLine(f"2026-11-{20 + n}", ContactChannel.JD, ref=f"T{n}", note="review")
                for n in range(5))
    return Snapshot(
        case_id=1, locale="zh-CN", generated_at="2026-11-29 10:00", opened_at="2026-11-20 09:00",
        status=CaseStatus.PLANNED, verdict_key="verdict-claimable",
        symptom_keys=("symptom-baitiao",), answer_keys={}, triage_amount=Decimal(3000),
        done_step_keys=(), items=(ItemLine("tx_screenshots", "evidence-tx-screenshots-short",
                                           True),),
        files=files, transactions=txs, log=log, escalations=(), escalated=False,
        images={n: data for n, (data, _) in enumerate(images, 1)},
        received={n: "2026-11-21 10:00" for n in range(1, screenshots + 1)})


def bench_dossier(transactions: int, screenshots: int) -> None:
    """Build time, size and peak memory of the PDF dossier."""
    snap = dossier_snapshot(transactions, screenshots)
    words = Translator()

    def t(key: str, **variables: object) -> str:
        return words("zh-CN", key, **variables)  # type: ignore[arg-type]

    assert CHANNEL_KEYS
    dossier(t, dossier_snapshot(1, 1))  # warm: font parsing, imports
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times = []
    for _ in range(3):
        start = time.perf_counter()
        pdf = dossier(t, snap)
        times.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Allocations are traced in a separate build: tracing slows Python down several times.
    tracemalloc.start()
    dossier(t, snap)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    took = min(times)
    inputs = sum(len(d) for d in snap.images.values())
    print(f"Dossier, {transactions} transactions + {screenshots} screenshots "
          f"({inputs / 2**20:.1f} MB of PNG in): built in {took:.2f} s (best of 3), "
          f"{len(pdf) / 2**20:.2f} MB, "
          f"peak Python allocations {peak / 2**20:.0f} MB (tracemalloc), process peak RSS "
          f"{rss / 1024:.0f} MB (+{(rss - base_rss) / 1024:.0f} MB over the warm-up)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=["ocr", "latency", "dossier", "accuracy"])
    parser.add_argument("--screens", type=int, default=10)
    args = parser.parse_args()
    # The dossier first: its peak RSS is the process's, before the OCR models are loaded.
    if args.only in (None, "dossier"):
        bench_dossier(20, 30)
    if args.only in (None, "latency"):
        asyncio.run(bench_latency(presses=200, screenshots=args.screens))
    if args.only in (None, "accuracy"):
        bench_accuracy(40)
    if args.only in (None, "ocr"):
        one_core()
        bench_ocr(args.screens)


if __name__ == "__main__":
    main()
