"""Triage under load and under Telegram faults, end to end over HTTP against the fake Bot API.

    .venv/bin/python -m bench.delivery_bench                  # 200 users before/after, faults
    .venv/bin/python -m bench.delivery_bench --users 50       # a smaller crowd
    .venv/bin/python -m bench.delivery_bench --load-only      # or --faults-only

Everything runs in one process on 127.0.0.1: ``FakeBotApi`` enforcing 30 sendMessage per second
(a 31st within any second gets 429 "retry after 1"), the bot's real Application with PTB's HTTP
client and long polling, and simulated users who each walk the whole triage (start, consent,
toggle, Done, tick, proceed, three questions and the typed amount) and act as soon as the
bot's screens for their last step have arrived.

Load, two configurations of the same code in the same run:

* before: PTB's defaults as the bot had them: updates processed one at a time and
  ``AIORateLimiter(max_retries=3)`` on every call that names a chat;
* after: ``ChatOrderedProcessor`` (chats concurrently, each in order) and ``SendBudget``
  (messages paced per bot at 28/s and per chat; answers and edits unpaced).

Printed: completed triages per second, median and p99 wait per step (from the user's action
to the last screen of that step), 429 answers, messages per second at the fake; and first, how
long another chat's /help takes while one chat's reply hangs 7 s at Telegram or while one chat
waits out a 7 s RetryAfter.

Faults: a few users walk the triage while one request fails before every step (500, 502 with
an HTML body, a timeout after the fake carried the request out, a dropped connection; either
the screen that follows the step or the first call the step makes). A fault is survived when
every screen due after that step arrives without the user doing anything. Baseline in the same
run: the same code with retries and the after-update repair switched off.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram.ext import AIORateLimiter, Application
from telegram.request import HTTPXRequest

from bot.app import App, build_services, register_handlers, start_app
from bot.handlers.common import DELIVERY_KEY, RETRY_DELAYS_S, Delivery
from bot.services import SERVICES_KEY
from bot.store.delivery import DeliveryStore
from tests.delivery_kit import HttpBot, Walker, http_settings, start_http_bot
from tests.fakes.botapi import FakeBotApi
from tests.proc import TEST_TOKEN

FIRST_USER = 200_000
FAULT_KINDS = ("server_error", "bad_gateway", "timeout", "disconnect")


async def start_before_bot(api: FakeBotApi, database: Path,
                           read_timeout: float = 5.0) -> HttpBot:
    """The bot as it was built before: sequential updates, AIORateLimiter on every call."""
    svc = await build_services(http_settings(database, api))
    svc.extras[DELIVERY_KEY] = Delivery(DeliveryStore(svc.db, svc.clock),
                                        retry_delays=RETRY_DELAYS_S)
    app: App = (
        Application.builder().token(TEST_TOKEN)
        .base_url(svc.settings.api_base_url).base_file_url(svc.settings.api_file_url)
        .request(HTTPXRequest(connection_pool_size=256, pool_timeout=30.0,
                              read_timeout=read_timeout))
        .get_updates_request(HTTPXRequest(read_timeout=read_timeout))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .build()
    )
    app.bot_data[SERVICES_KEY] = svc
    register_handlers(app)
    await app.initialize()
    await start_app(app)
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0.0)
    return HttpBot(api, svc, app)


@dataclass
class LoadResult:
    """What one load run measured."""

    users: int
    completed: int
    wall_s: float
    waits: list[float]
    status_429: int
    messages: int

    def quantile(self, q: float) -> float:
        """Return a quantile of the waits per step."""
        ordered = sorted(self.waits)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def load_run(users: int, before: bool, timeout: float) -> LoadResult:
    """Walk ``users`` triages at once through one bot; return the figures."""
    with tempfile.TemporaryDirectory() as folder:
        async with FakeBotApi(rate_limit_per_s=30) as api:
            database = Path(folder) / "bench.sqlite3"
            if before:
                bot = await start_before_bot(api, database)
            else:
                bot = await start_http_bot(api, database, retry_delays=RETRY_DELAYS_S)
            walkers = [Walker(api, bot.svc, FIRST_USER + i, event_driven=True, wait_handled=False)
                       for i in range(users)]
            completed = 0

            async def walk(walker: Walker) -> None:
                nonlocal completed
                try:
                    await walker.walk(timeout=timeout)
                    completed += 1
                except TimeoutError:
                    pass

            start = time.monotonic()
            try:
                await asyncio.gather(*(walk(w) for w in walkers))
                wall = time.monotonic() - start
            finally:
                await bot.stop()
            waits = [s.answered - s.started for w in walkers for s in w.steps
                     if s.answered is not None]
            messages = sum(1 for c in api.calls if c.method == "sendMessage" and c.ok)
            return LoadResult(users, completed, wall, waits, api.stats["429"], messages)


def print_load(results: dict[str, LoadResult]) -> None:
    """Print the load figures side by side with ratios."""
    print("config   users  done  triages/s  msgs/s  p50 wait/step  p99 wait/step  429s")
    for name, r in results.items():
        print(f"{name:8s} {r.users:5d} {r.completed:5d} {r.completed / r.wall_s:10.2f} "
              f"{r.messages / r.wall_s:7.1f} {statistics.median(r.waits):12.2f} s "
              f"{r.quantile(0.99):12.2f} s {r.status_429:5d}")
    if len(results) == 2:
        b, a = results["before"], results["after"]
        rate = (a.completed / a.wall_s) / (b.completed / b.wall_s)
        print(f"after / before: triages/s x{rate:.1f}"
              f", p50 wait x{statistics.median(a.waits) / statistics.median(b.waits):.2f}"
              f", p99 wait x{a.quantile(0.99) / b.quantile(0.99):.2f}")


async def head_of_line(before: bool) -> tuple[float, float]:
    """Return how long /help takes in one chat while another chat's reply hangs 7 s at
    Telegram, and while another chat waits out a RetryAfter of 7 s."""
    figures = []
    for fault in ("timeout", "retry_after"):
        with tempfile.TemporaryDirectory() as folder:
            async with FakeBotApi() as api:
                database = Path(folder) / "bench.sqlite3"
                if before:
                    bot = await start_before_bot(api, database, read_timeout=10.0)
                else:
                    bot = await start_http_bot(api, database, read_timeout=10.0)
                try:
                    api.set_error(1, fault, times=1, method="sendMessage",  # type: ignore[arg-type]
                                  delay=7.0, retry_after=7)
                    api.user_sends_text(1, "/help")
                    await api.wait_for(lambda c, f=fault: c.chat_id == 1 and c.fault == f)
                    start = time.monotonic()
                    api.user_sends_text(2, "/help")
                    await api.wait_for(lambda c: c.method == "sendMessage" and c.ok
                                       and c.chat_id == 2, timeout=30)
                    figures.append(time.monotonic() - start)
                finally:
                    await bot.stop()
    return figures[0], figures[1]


async def fault_run(kind: str, target: str, users: int, repair: bool) -> tuple[int, int]:
    """Walk ``users`` triages with one fault before every step; return (survived, tried)."""
    survived = tried = 0
    with tempfile.TemporaryDirectory() as folder:
        async with FakeBotApi() as api:
            bot = await start_http_bot(api, Path(folder) / "bench.sqlite3", read_timeout=0.4,
                                       rate_limit=False)
            if not repair:
                bot.svc.extras[DELIVERY_KEY] = Delivery(DeliveryStore(bot.svc.db), ())
                bot.processor.after = None
            try:
                for i in range(users):
                    chat = FIRST_USER + i
                    walker = bot.walker(chat)
                    faults = 0

                    def inject(name: str, advances: bool, chat: int = chat) -> None:
                        nonlocal faults
                        method = "sendMessage" if target == "next screen" else None
                        if method is not None and not advances and name != "start":
                            return
                        api.set_error(chat, kind, times=1, method=method,  # type: ignore[arg-type]
                                      delay=2.0)
                        faults += 1

                    while True:
                        before = faults
                        try:
                            step = await walker.act(inject, timeout=8.0)
                        except (TimeoutError, LookupError):
                            tried += faults - before
                            break  # silence: the user would be stuck here
                        tried += faults - before
                        survived += faults - before
                        if step is None:
                            break
                    api.clear_errors(chat)
            finally:
                await bot.stop()
    return survived, tried


async def faults(users: int) -> None:
    """Print faults survived out of tried, per kind and target, with and without the repair."""
    print(f"faults survived / tried ({users} users per cell, one fault before every step)")
    print(f"{'kind':12s} {'target':12s} {'retries off':>12s} {'retries on':>12s}")
    totals: Counter[str] = Counter()
    for kind in FAULT_KINDS:
        for target in ("next screen", "first call"):
            off = await fault_run(kind, target, users, repair=False)
            on = await fault_run(kind, target, users, repair=True)
            totals.update({"off_ok": off[0], "off": off[1], "on_ok": on[0], "on": on[1]})
            print(f"{kind:12s} {target:12s} {off[0]:5d} / {off[1]:<5d} {on[0]:5d} / {on[1]:<5d}")
    print(f"{'all':25s} {totals['off_ok']:5d} / {totals['off']:<5d} "
          f"{totals['on_ok']:5d} / {totals['on']:<5d}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--fault-users", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds a user waits for one step before giving up")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--faults-only", action="store_true")
    parser.add_argument("--skip-before", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    for name in ("bot", "telegram", "httpx"):
        logging.getLogger(name).setLevel(logging.CRITICAL)

    if not args.faults_only:
        print("another chat's /help answered in (s), while one chat's reply hangs 7 s / "
              "while one chat waits out RetryAfter 7 s:")
        for name, before in (("before", True), ("after", False)):
            hung, throttled = await head_of_line(before)
            print(f"  {name:8s} {hung:6.2f} s {throttled:6.2f} s")
        results: dict[str, Any] = {}
        if not args.skip_before:
            results["before"] = await load_run(args.users, before=True, timeout=args.timeout)
        results["after"] = await load_run(args.users, before=False, timeout=args.timeout)
        print(f"{args.users} users at once, the fake enforcing 30 sendMessage/s:")
        print_load(results)
    if not args.load_only:
        await faults(args.fault_users)


if __name__ == "__main__":
    asyncio.run(main())
