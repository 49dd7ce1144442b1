"""Start-up with 1,000,000 pending follow-ups: due-time index vs empty DB vs one job per row.

    .venv/bin/python -m bench.followups_startup [--rows 1000000] [--per-user 10]

Each variant runs in a fresh child process: build_services + build_application + initialize
+ start_app (which runs the follow-ups start hook: recover, arm one job). "naive" then reads
every pending row and arms one PTB ``JobQueue.run_once`` job per row, as a job-per-reminder
design would at start-up. Printed: time to ready and resident memory (VmRSS at ready, VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.followups_data import populate

DAY = 86400.0


def vm(field: str) -> float:
    """Return a /proc/self/status memory field in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


async def child(variant: str, db: Path) -> dict[str, Any]:
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    from bot.app import build_application, build_services, start_app, stop_app
    from bot.settings import Settings
    from bot.transport.local import LOCAL_TOKEN, LocalBotApi

    settings = Settings(_env_file=None, database_path=db, bot_token=None,  # type: ignore[call-arg]
                        quiet_hours=None)
    rss_before = vm("VmRSS")
    t0 = time.perf_counter()
    svc = await build_services(settings)
    api = LocalBotApi(record=False)
    app = build_application(svc, token=LOCAL_TOKEN, request=api, get_updates_request=api)
    await app.initialize()
    await start_app(app)
    jobs = 0
    if variant == "naive":
        assert app.job_queue is not None
        now = time.time()

        async def remind(context: Any) -> None:
            """Stand-in callback of a one-job-per-reminder design."""

        for row in await svc.db.fetch(
            "SELECT id, due_at FROM followups WHERE state='pending' ORDER BY due_at"
        ):
            app.job_queue.run_once(remind, when=max(0.0, row[1] - now), name=f"fu-{row[0]}",
                                   data=row[0])
            jobs += 1
    ready = time.perf_counter() - t0
    rss = vm("VmRSS")
    hwm = vm("VmHWM")
    await stop_app(app)
    await app.shutdown()
    await svc.db.close()
    return {"variant": variant, "ready_s": ready, "rss_mb": rss, "hwm_mb": hwm,
            "rss_before_mb": rss_before, "jobs": jobs}


def run_child(variant: str, db: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.followups_startup", "--child", variant, str(db)],
        check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--per-user", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("VARIANT", "DB"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(args.child[0], Path(args.child[1])))))
        return

    with tempfile.TemporaryDirectory() as tmp:
        empty, full = Path(tmp) / "empty.sqlite3", Path(tmp) / "full.sqlite3"
        populate(empty, range(0), 0, lambda i, k: 0.0)
        now = time.time()
        users = range(1, args.rows // args.per_user + 1)
        t = time.perf_counter()
        populate(full, users, args.per_user,
                 lambda i, k: now + DAY + (i * args.per_user + k) * 2.0, now=now)
        print(f"generated {len(users) * args.per_user:,} pending follow-ups for {len(users):,} "
              f"cases in {time.perf_counter() - t:.1f} s "
              f"({full.stat().st_size / 2**20:.0f} MB database)")
        results: dict[str, dict[str, Any]] = {}
        for variant, db in (("empty", empty), ("index", full), ("naive", full)):
            runs = [run_child(variant, db) for _ in range(args.repeat if variant != "naive"
                                                           else 1)]
            best = min(runs, key=lambda r: r["ready_s"])
            best["rss_mb"] = min(r["rss_mb"] for r in runs)
            results[variant] = best
    base = results["empty"]
    print(f"\n{'variant':<38}{'ready (s)':>10}{'Δ ready':>10}{'RSS MB':>9}{'Δ RSS':>9}"
          f"{'peak MB':>9}{'ready ×':>9}")
    names = {"empty": "empty database",
             "index": f"{args.rows:,} rows, due-time index",
             "naive": f"{args.rows:,} rows, JobQueue.run_once each"}
    for variant, r in results.items():
        print(f"{names[variant]:<38}{r['ready_s']:>10.3f}{r['ready_s'] - base['ready_s']:>+10.3f}"
              f"{r['rss_mb']:>9.1f}{r['rss_mb'] - base['rss_mb']:>+9.1f}{r['hwm_mb']:>9.1f}"
              f"{r['ready_s'] / base['ready_s']:>9.2f}")
    idx, naive = results["index"], results["naive"]
    print(f"\nindex vs naive: ready {naive['ready_s'] / idx['ready_s']:.0f}x faster, "
          f"{naive['rss_mb'] - idx['rss_mb']:.0f} MB less resident memory "
          f"({naive['jobs']:,} jobs armed by the naive design, 1 by the index)")


if __name__ == "__main__":
    main()
