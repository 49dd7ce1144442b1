"""Lateness of due reminders: 1,000 falling due over one minute, 1,000,000 others pending.

    .venv/bin/python -m bench.followups_lateness [--due 1000] [--spread 60] [--others 1000000]

The bot runs as its own process (``python -m bot run``, PTB's AIORateLimiter on) against the
fake Bot API served from this process (which enforces 30 messages/s and counts 429s). Each
reminder goes to its own chat; lateness = time the fake received its sendMessage minus its due
time. Printed: p50, p90, p99, max, and the same for a run with no other rows pending.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bench.followups_data import populate
from tests.fakes.botapi import FakeBotApi
from tests.proc import run_bot

DAY = 86400.0
FIRST_DUE_USER = 50_000_000


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


async def measure(tmp: Path, due: int, spread: float, others: int, lead: float) -> list[float]:
    db = tmp / f"bot-{others}.sqlite3"
    now = time.time()
    if others:
        populate(db, range(1, others // 10 + 1), 10, lambda i, k: now + DAY + i * 10 + k,
                 now=now)
    start = now + lead
    dues = {FIRST_DUE_USER + i: start + i * spread / due for i in range(due)}
    populate(db, range(FIRST_DUE_USER, FIRST_DUE_USER + due), 1,
             lambda i, k: start + i * spread / due, now=now)
    wall_minus_mono = time.time() - time.monotonic()
    async with FakeBotApi(rate_limit_per_s=30) as api:
        bot = run_bot(db, api.base_url, {"QUIET_HOURS": "", "LOG_LEVEL": "WARNING"})
        await bot.start(ready="", timeout=30)
        try:
            deadline = time.monotonic() + lead + spread + 60
            while time.monotonic() < deadline:
                got = {c.chat_id for c in api.calls if c.method == "sendMessage" and c.ok}
                if len(got & dues.keys()) == due:
                    break
                await asyncio.sleep(0.5)
        finally:
            await bot.terminate()
        lateness = {}
        for call in api.calls:
            if call.method == "sendMessage" and call.ok and call.chat_id in dues:
                assert call.chat_id not in lateness, "sent twice"
                lateness[call.chat_id] = call.at + wall_minus_mono - dues[int(call.chat_id)]
        print(f"  others={others:,}: delivered {len(lateness)}/{due}, "
              f"429 answers: {api.stats['429']}")
    return list(lateness.values())


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=60.0)
    parser.add_argument("--others", type=int, default=1_000_000)
    parser.add_argument("--lead", type=float, default=25.0,
                        help="seconds between generating the rows and the first due time")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for others in (0, args.others):
            late = await measure(Path(tmp), args.due, args.spread, others, args.lead)
            rows.append((others, late))
    print(f"\n{args.due} reminders due over {args.spread:.0f} s "
          f"({args.due / args.spread:.1f}/s), lateness in ms")
    print(f"{'others pending':>16}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>8}{'mean':>8}")
    for others, late in rows:
        ms = [x * 1000 for x in late]
        print(f"{others:>16,}{pct(ms, 50):>8.1f}{pct(ms, 90):>8.1f}{pct(ms, 99):>8.1f}"
              f"{max(ms):>8.1f}{statistics.fmean(ms):>8.1f}")


if __name__ == "__main__":
    asyncio.run(main())
