"""1, 2 and 3 webhook instances on one SQLite file: triage, reminders, broadcast, peak rate.

    .venv/bin/python -m bench.multi_bench                       # 40 users, 300 reminders, 600
    .venv/bin/python -m bench.multi_bench --users 60 --reminders 500 --subscribers 1000

Each configuration starts N ``python -m bot webhook`` processes on a fresh database behind the
round-robin proxy of the tests (``tests/multi_kit.py``), the fake Bot API posting updates to the
proxy and enforcing Telegram's 30 messages per second (429 beyond). Measured, per N:

* triage: ``--users`` users walk the whole triage at once (9 updates each, each user waiting
  for the answer before the next); updates per second over the whole crowd and p50 / p99 of
  one step (from the update queued to its answer arriving);
* reminders (N = 1 and 3): ``--reminders`` reminders fall due together; reminders per second
  from the first to the last sent;
* broadcast (N = 1 and 3): an alert to ``--subscribers`` subscribers at ``--broadcast-rate``;
  messages per second from the first to the last;
* the most messages the fake answered in any one second, and its 429 answers.

Ratios are printed against N = 1 of the same run. The message budget is bot-wide (each
instance paces at its share), so wherever messages are the bottleneck more instances do not
send faster: they add capacity for handling and survive a lost instance.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.followups_data import populate
from tests.fakes.botapi import Call, FakeBotApi
from tests.multi_kit import (
    Cluster,
    T,
    add_subscribers,
    alert_counts,
    broadcast,
    max_per_second,
    method_to,
    press_label,
    shows,
    shows_case,
)

FIRST_USER = 400_000
MARK = "multi-bench-alert"


async def timed_triage(api: FakeBotApi, u: int, waits: list[float]) -> None:
    """One user's triage, recording each step's wait."""
    def press(key: str) -> Callable[[], object]:
        return lambda: press_label(api, u, T("en", key))

    def say(text: str) -> Callable[[], object]:
        return lambda: api.user_sends_text(u, text, language_code="en")

    steps: list[tuple[Callable[[], object], Callable[[Call], bool]]] = [
        (say("/start"), shows("welcome", u)),
        (press("btn-consent-yes"), shows("triage-symptoms-prompt", u)),
        (press("symptom-jintiao"), method_to("editMessageReplyMarkup", u)),
        (press("btn-done"), shows("triage-emergency-prompt", u)),
        (press("btn-proceed"), shows("q-noticed", u)),
        (press("q-noticed-hour"), shows("q-amount", u)),
        (say("1299"), shows("q-cause", u)),
        (press("q-cause-none"), shows("q-police", u)),
        (press("q-police-reported"), shows_case("plan-footer", u)),
    ]
    for action, until in steps:
        since = len(api.calls)
        started = time.monotonic()
        action()
        await api.wait_for(until, 120, since=since)
        waits.append(time.monotonic() - started)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def run_triage(n: int, users: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeBotApi(rate_limit_per_s=30) as api:
            c = Cluster(Path(tmp) / "bot.sqlite3", api, n)
            await c.start()
            try:
                waits: list[float] = []
                started = time.monotonic()
                await asyncio.gather(*(timed_triage(api, FIRST_USER + i, waits)
                                       for i in range(users)))
                wall = time.monotonic() - started
            finally:
                await c.stop()
            return {"updates_s": len(waits) / wall, "p50": statistics.median(waits),
                    "p99": pct(waits, 0.99), "max_1s": max_per_second(api),
                    "429": api.stats["429"]}


async def run_reminders(n: int, count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.sqlite3"
        due = time.time() + 12 + 2 * n
        users = range(FIRST_USER, FIRST_USER + count)
        populate(db, users, 1, lambda i, k: due, now=due - 3600)
        async with FakeBotApi(rate_limit_per_s=30) as api:
            c = Cluster(db, api, n)
            await c.start()
            try:
                deadline = time.monotonic() + 60 + count / 10
                while time.monotonic() < deadline:
                    sent = [x.at for x in api.calls_of("sendMessage")
                            if x.ok and x.chat_id in users]
                    if len(sent) >= count:
                        break
                    await asyncio.sleep(0.2)
            finally:
                await c.stop()
            span = max(sent) - min(sent) if len(sent) > 1 else 1.0
            return {"per_s": len(sent) / span, "sent": len(sent), "max_1s": max_per_second(api),
                    "429": api.stats["429"]}


async def run_broadcast(n: int, count: int, rate: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.sqlite3"
        subscribers = range(FIRST_USER, FIRST_USER + count)
        populate(db, range(0), 0, lambda i, k: 0.0)
        add_subscribers(db, subscribers)
        limit = 30 if rate <= 25 else None
        async with FakeBotApi(rate_limit_per_s=limit) as api:
            c = Cluster(db, api, n, env={"BROADCAST_RATE": str(rate)})
            await c.start()
            try:
                await broadcast(api, MARK)
                deadline = time.monotonic() + 60 + count / rate * 2
                while time.monotonic() < deadline:
                    if len(alert_counts(api, MARK)) >= count:
                        break
                    await asyncio.sleep(0.2)
            finally:
                await c.stop()
            times = [x.at for x in api.calls_of("sendMessage")
                     if x.ok and x.chat_id != 9 and MARK in str(x.params.get("text", ""))]
            span = max(times) - min(times) if len(times) > 1 else 1.0
            counts = alert_counts(api, MARK)
            return {"per_s": len(times) / span, "reached": len(counts),
                    "dupes": sum(v - 1 for v in counts.values()),
                    "max_1s": max_per_second(api), "429": api.stats["429"]}


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--reminders", type=int, default=300)
    parser.add_argument("--subscribers", type=int, default=600)
    parser.add_argument("--broadcast-rate", type=float, default=25.0)
    parser.add_argument("--parts", default="triage,reminders,broadcast",
                        help="which measurements, comma-separated")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if "triage" in parts:
        await triage_part(args.users)
    if "reminders" in parts:
        await reminders_part(args.reminders)
    if "broadcast" in parts:
        await broadcast_part(args.subscribers, args.broadcast_rate)


async def triage_part(users: int) -> None:
    print(f"triage: {users} users at once, 9 updates each")
    base: dict[str, float] = {}
    for n in (1, 2, 3):
        r = await run_triage(n, users)
        base = base or r
        x = ratio(r["updates_s"], base["updates_s"])
        print(f"  {n} instance(s): {r['updates_s']:6.1f} updates/s ({x})"
              f"  p50 {r['p50'] * 1000:6.0f} ms  p99 {r['p99'] * 1000:6.0f} ms "
              f"({ratio(r['p99'], base['p99'])})  max in 1 s: {r['max_1s']:.0f}  "
              f"429: {r['429']:.0f}")


async def reminders_part(count: int) -> None:
    print(f"reminders: {count} due together")
    base: dict[str, float] = {}
    for n in (1, 3):
        r = await run_reminders(n, count)
        base = base or r
        x = ratio(r["per_s"], base["per_s"])
        print(f"  {n} instance(s): {r['per_s']:6.1f} reminders/s ({x})"
              f"  sent {r['sent']:.0f}  max in 1 s: {r['max_1s']:.0f}  429: {r['429']:.0f}")


async def broadcast_part(count: int, rate: float) -> None:
    limit = "30/s enforced" if rate <= 25 else "no limit (paid broadcasts)"
    print(f"broadcast: {count} subscribers at BROADCAST_RATE={rate:g}, fake: {limit}")
    base: dict[str, float] = {}
    for n in (1, 3):
        r = await run_broadcast(n, count, rate)
        base = base or r
        x = ratio(r["per_s"], base["per_s"])
        print(f"  {n} instance(s): {r['per_s']:6.1f} messages/s ({x})"
              f"  reached {r['reached']:.0f}  duplicates {r['dupes']:.0f}  max in 1 s: "
              f"{r['max_1s']:.0f}  429: {r['429']:.0f}")


if __name__ == "__main__":
    asyncio.run(main())
