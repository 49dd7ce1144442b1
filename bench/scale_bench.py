"""50, 200 and 500 users completing a triage at once, beside a bare PTB echo bot in the same run.

    .venv/bin/python -m bench.scale_bench                          # 50, 200, 500 users, 60 s each
    .venv/bin/python -m bench.scale_bench --users 50 --max-seconds 20

Per crowd size, two runs against a fresh ``FakeBotApi`` on 127.0.0.1 enforcing 30 sendMessage
per second (a 31st within any second gets 429 "retry after 1"):

* triage: the bot as a process (``python -m bot run``, its production configuration) and
  simulated users in this process who each walk the whole triage (``tests.delivery_kit.Walker``,
  acting as soon as the screens of their last step arrived);
* echo: ``bench/echo_bot.py`` as a process, PTB's defaults (one update at a time) with
  ``AIORateLimiter``, and the same users each sending as many texts, one after the other, as a
  triage takes actions (waiting for each echo before the next).

Each run stops after ``--max-seconds``. Printed: users who completed, triages (echo rounds: one
user's whole sequence) per second counted in steps (steps answered / steps per triage / time,
since a crowd advances in step and may not finish inside the bound), p50 and p99 wait per step
(from the user's action to the last screen of that step; for the echo, to the echo), 429
answers, and triages/s divided by echo rounds/s.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.app import build_services
from tests.delivery_kit import Walker, http_settings
from tests.fakes.botapi import Call, FakeBotApi
from tests.proc import ROOT, TEST_TOKEN, run_bot

FIRST_USER = 300_000


@dataclass
class Run:
    """What one run measured."""

    users: int
    completed: int = 0
    wall_s: float = 0.0
    waits: list[float] = field(default_factory=list)
    status_429: int = 0
    actions: int = 0

    @property
    def rate(self) -> float:
        """Triages (or echo rounds) per second, counted in steps: steps answered within the
        run divided by the steps of one triage (a crowd advances in step, so few or none may
        have finished when the run stops)."""
        return len(self.waits) / self.actions / self.wall_s if self.wall_s else 0.0

    def quantile(self, q: float) -> float:
        """Return a quantile of the waits per step (nan when none)."""
        ordered = sorted(self.waits)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def bounded(tasks: list[asyncio.Task[None]], max_seconds: float) -> float:
    """Wait for the tasks or ``max_seconds``; cancel what is left; return the time taken."""
    start = time.monotonic()
    _, pending = await asyncio.wait(tasks, timeout=max_seconds)
    wall = time.monotonic() - start
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return wall


async def triage_run(users: int, max_seconds: float) -> Run:
    """``users`` walk the triage at once through the bot process."""
    run = Run(users)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        async with FakeBotApi(rate_limit_per_s=30) as api:
            bot = run_bot(database, api.base_url, extra={"LOG_LEVEL": "WARNING"})
            await bot.start(ready="")
            reader = await build_services(http_settings(database, api))
            await api.wait_for(lambda c: c.method == "getUpdates", timeout=30)
            walkers = [Walker(api, reader, FIRST_USER + i, event_driven=True,
                              wait_handled=False) for i in range(users)]

            lengths: Counter[int] = Counter()

            async def walk(walker: Walker) -> None:
                await walker.walk(timeout=max_seconds)
                run.completed += 1
                lengths[len(walker.steps)] += 1

            try:
                run.wall_s = await bounded([asyncio.create_task(walk(w)) for w in walkers],
                                           max_seconds)
            finally:
                await bot.terminate()
                await reader.db.close()
            run.waits = [s.answered - s.started for w in walkers for s in w.steps
                         if s.answered is not None]
            # Actions per triage (the same for every user); if none finished in time, a guess.
            run.actions = lengths.most_common(1)[0][0] if lengths else 10
            run.status_429 = api.stats["429"]
    return run


async def echo_run(users: int, messages: int, max_seconds: float) -> Run:
    """``users`` each send ``messages`` texts, one after the other, to the echo bot process."""
    run = Run(users, actions=messages)
    async with FakeBotApi(rate_limit_per_s=30) as api:
        echoed: Counter[int] = Counter()
        arrived: dict[int, asyncio.Event] = {}
        record = api._record

        def counting(call: Call) -> None:
            record(call)
            if call.method == "sendMessage" and call.ok and isinstance(call.chat_id, int):
                echoed[call.chat_id] += 1
                if (event := arrived.get(call.chat_id)) is not None:
                    event.set()

        api._record = counting  # type: ignore[method-assign]
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "echo_bot.py"), api.base_url, TEST_TOKEN,
            cwd=str(ROOT), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            await api.wait_for(lambda c: c.method == "getUpdates", timeout=30)

            async def user(chat: int) -> None:
                for i in range(messages):
                    arrived[chat] = asyncio.Event()
                    started = time.monotonic()
                    api.user_sends_text(chat, f"message {i + 1} of {messages}")
                    while echoed[chat] < i + 1:
                        await arrived[chat].wait()
                        arrived[chat] = asyncio.Event()
                    run.waits.append(time.monotonic() - started)
                run.completed += 1

            run.wall_s = await bounded(
                [asyncio.create_task(user(FIRST_USER + i)) for i in range(users)], max_seconds)
        finally:
            proc.terminate()
            await proc.wait()
        run.status_429 = api.stats["429"]
    return run


def row(name: str, run: Run) -> str:
    """One printed line."""
    return (f"  {name:6s} {run.completed:5d}/{run.users:<5d} {run.rate:8.2f}/s "
            f"{run.quantile(0.5):8.2f} s {run.quantile(0.99):8.2f} s {run.status_429:6d}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--max-seconds", type=float, default=60.0,
                        help="each run (triage, echo) stops after this long")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    for name in ("bot", "telegram", "httpx"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    print(f"fake Bot API enforcing 30 sendMessage/s; each run stops after {args.max_seconds:.0f} s")
    print("  run     done/users     rate   p50 wait   p99 wait   429s")
    for users in args.users:
        triage = await triage_run(users, args.max_seconds)
        echo = await echo_run(users, triage.actions, args.max_seconds)
        print(f"{users} users (a triage = {triage.actions} actions; an echo round = as many texts)")
        print(row("triage", triage))
        print(row("echo", echo))
        ratio = triage.rate / echo.rate if echo.rate else float("nan")
        print(f"  triages/s / echo rounds/s = {ratio:.2f}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
