"""Cost per update of a triage step against a bare PTB echo handler, in the same offline harness.

    .venv/bin/python -m bench.triage_bench                 # 300 users, 3 rounds
    .venv/bin/python -m bench.triage_bench --users 1000 --rounds 5
    .venv/bin/python -m bench.triage_bench --profile       # cProfile of one triage round
    .venv/bin/python -m bench.triage_bench --breakdown     # each step, and its time in SQLite
    .venv/bin/python -m bench.triage_bench --inline-sqlite # what-if: no aiosqlite thread trips
    .venv/bin/python -m bench.triage_bench --postgresql    # on PostgreSQL (pgserver, temp dir)
    .venv/bin/python -m bench.triage_bench --postgresql postgresql://…  # a server of yours:
                                                           # its bot tables are EMPTIED

Both sides run the real ``Application`` on ``LocalBotApi`` (no network, no rate limiter) and
call ``process_update`` directly, one update at a time, building each ``Update`` from JSON as
polling would. The echo side is one ``MessageHandler`` that replies with the text. The triage
side is the real bot: many users, each consented with an open case (set up untimed), then per
user the ten updates that change a case and commit to SQLite before replying: toggle two
symptoms, Done, tick two emergency steps, Proceed, answer "when", type the amount, answer
"cause", answer "police" (the last one stores the verdict and sends the plan). Users take turns
step by step, as concurrent victims would.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.app import App, build_application, build_services
from bot.settings import Settings
from bot.store.copy import TABLES
from bot.transport.local import LOCAL_TOKEN, LocalBotApi, UpdateFactory

FIRST_USER = 100_000


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def toggle_floor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Do only the Bot API work of a symptom toggle: answer and redraw a 10-button keyboard."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=FLOOR_KEYBOARD)


FLOOR_KEYBOARD = InlineKeyboardMarkup([
    [InlineKeyboardButton(f"▫️ symptom label number {i}", callback_data=f"sy:123456:{i}")]
    for i in range(10)
])


async def floor_app() -> tuple[App, LocalBotApi, UpdateFactory]:
    api = LocalBotApi(record=False)
    app: App = Application.builder().token(LOCAL_TOKEN).request(api).get_updates_request(
        api).build()
    app.add_handler(CallbackQueryHandler(toggle_floor))
    await app.initialize()
    return app, api, UpdateFactory(app.bot, api)


async def run_floor(n: int) -> tuple[float, float]:
    """Return (wall, cpu) seconds for n keyboard-redraw presses (PTB work, no app logic)."""
    app, api, updates = await floor_app()
    try:
        messages = {}
        for user in range(FIRST_USER, FIRST_USER + 500):
            await app.bot.send_message(user, "x", reply_markup=FLOOR_KEYBOARD)
            messages[user] = api.messages[user][max(api.messages[user])]
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            user = FIRST_USER + i % 500
            await app.process_update(updates.press(user, messages[user], "sy:123456:1"))
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await app.shutdown()


async def echo_app() -> tuple[App, UpdateFactory]:
    api = LocalBotApi(record=False)
    app: App = Application.builder().token(LOCAL_TOKEN).request(api).get_updates_request(
        api).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    return app, UpdateFactory(app.bot, api)


# Set by --postgresql: the triage side runs on this PostgreSQL database instead of SQLite.
DATABASE_URL: str | None = None


async def triage_app(folder: Path) -> tuple[App, LocalBotApi, UpdateFactory, Any]:
    settings = Settings(_env_file=None, database_path=folder / "bench.sqlite3",  # type: ignore[call-arg]
                        bot_token=None, database_url=DATABASE_URL)
    svc = await build_services(settings)
    if DATABASE_URL:  # each run starts from empty tables, as on SQLite
        await svc.db.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    api = LocalBotApi(record=False)
    app = build_application(svc, token=LOCAL_TOKEN, request=api, get_updates_request=api)
    await app.initialize()
    return app, api, UpdateFactory(app.bot, api), svc


def newest_with(api: LocalBotApi, chat: int, prefix: str) -> tuple[dict[str, Any], str]:
    """Return the newest message in a chat with a button whose data starts with ``prefix``."""
    for message in reversed(list(api.messages.get(chat, {}).values())):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if str(button.get("callback_data", "")).startswith(prefix):
                    return message, str(button["callback_data"])
    raise LookupError(f"chat {chat}: no button {prefix!r}")


def trim(api: LocalBotApi, chat: int, keep: int = 3) -> None:
    """Forget all but the newest few messages of a chat (the bench only presses those)."""
    messages = api.messages.get(chat)
    if messages and len(messages) > keep:
        for message_id in list(messages)[:-keep]:
            del messages[message_id]


async def setup_users(app: App, api: LocalBotApi, updates: UpdateFactory, svc: Any,
                      users: list[int]) -> None:
    """Give each user consent and an open case (not timed)."""
    for user in users:
        await app.process_update(updates.text(user, "/start"))
        message, data = newest_with(api, user, "cs:1")
        await app.process_update(updates.press(user, message, data))


Step = Callable[[int], Awaitable[None]]


class Workload:
    """The ten updates each user sends, as functions of the user id."""

    def __init__(self, app: App, api: LocalBotApi, updates: UpdateFactory, svc: Any) -> None:
        self.app, self.api, self.updates, self.svc = app, api, updates, svc
        self.case_of: dict[int, int] = {}

    async def learn_cases(self, users: list[int]) -> None:
        """Remember each user's case id (it goes into the button data)."""
        for user in users:
            row = await self.svc.store.get_user(user)
            self.case_of[user] = row.current_case

    def press(self, data: Callable[[int], str]) -> Step:
        async def step(user: int) -> None:
            message, found = newest_with(self.api, user, data(user))
            await self.app.process_update(self.updates.press(user, message, found))
        return step

    def typed(self, text: str) -> Step:
        async def step(user: int) -> None:
            await self.app.process_update(self.updates.text(user, text))
            trim(self.api, user)
        return step

    def steps(self) -> list[Step]:
        flow = self.svc.flow
        at = {s.id: flow.step_index(s.id) for s in flow.steps}
        sym = flow.symptom_ids()
        em = [i.id for i in flow.emergency]
        c = self.case_of
        return [
            self.press(lambda u: f"sy:{c[u]}:{sym.index('jintiao')}"),
            self.press(lambda u: f"sy:{c[u]}:{sym.index('balance_card')}"),
            self.press(lambda u: f"sd:{c[u]}"),
            self.press(lambda u: f"tk:{c[u]}:e:{em.index('call_110')}"),
            self.press(lambda u: f"tk:{c[u]}:e:{em.index('freeze_jintiao')}"),
            self.press(lambda u: f"go:{c[u]}:{at['emergency']}"),
            self.press(lambda u: f"an:{c[u]}:{at['noticed']}:hour"),
            self.typed("1,299元"),
            self.press(lambda u: f"an:{c[u]}:{at['cause']}:none"),
            self.press(lambda u: f"an:{c[u]}:{at['police']}:reported"),
        ]


async def run_echo(n: int) -> tuple[float, float]:
    """Return (wall, cpu) seconds for n echo updates."""
    app, updates = await echo_app()
    try:
        for i in range(50):  # warm up
            await app.process_update(updates.text(FIRST_USER + i, "warm"))
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            await app.process_update(updates.text(FIRST_USER + i % 500, "1,299元"))
        return time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await app.shutdown()


async def run_triage(users: int, profile: cProfile.Profile | None = None
                     ) -> tuple[float, float, int]:
    """Return (wall, cpu seconds, updates) for the triage workload on a fresh database."""
    with tempfile.TemporaryDirectory() as folder:
        app, api, updates, svc = await triage_app(Path(folder))
        try:
            ids = [FIRST_USER + i for i in range(users)]
            await setup_users(app, api, updates, svc, ids)
            workload = Workload(app, api, updates, svc)
            await workload.learn_cases(ids)
            steps = workload.steps()
            if profile is not None:
                profile.enable()
            wall, cpu = time.perf_counter(), time.process_time()
            for step in steps:
                for user in ids:
                    await step(user)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if profile is not None:
                profile.disable()
            await check_done(svc, ids)
            return wall, cpu, users * len(steps)
        finally:
            await app.shutdown()
            await svc.db.close()


async def check_done(svc: Any, users: list[int]) -> None:
    """Make sure the workload really walked every case to its verdict."""
    done = await svc.db.fetchval(
        "SELECT COUNT(*) FROM cases WHERE status='planned' AND verdict='claimable' "
        "AND emergency_done='[\"call_110\",\"freeze_jintiao\"]' AND amount='1299.00'"
    )
    if done != len(users):
        raise SystemExit(f"only {done} of {len(users)} cases reached the verdict")


STEP_NAMES = ["toggle", "toggle", "done", "tick", "tick", "proceed", "answer noticed",
              "type amount", "answer cause", "answer police + plan"]


async def breakdown(users: int) -> None:
    """Print the cost of each of the ten steps and how much of it is spent in the store."""
    with tempfile.TemporaryDirectory() as folder:
        app, api, updates, svc = await triage_app(Path(folder))
        try:
            ids = [FIRST_USER + i for i in range(users)]
            await setup_users(app, api, updates, svc, ids)
            workload = Workload(app, api, updates, svc)
            await workload.learn_cases(ids)
            in_store = [0.0]
            # Leaf methods only (save_case goes through save_case_events).
            for name in ("get_user", "get_case", "save_case_events", "add_event", "set_current"):
                real = getattr(svc.store, name)

                async def timed(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
                    start = time.perf_counter()
                    try:
                        return await _real(*args, **kwargs)
                    finally:
                        in_store[0] += time.perf_counter() - start

                setattr(svc.store, name, timed)
            print("step                       us/update   of which store (SQLite)")
            for name, step in zip(STEP_NAMES, workload.steps(), strict=True):
                in_store[0] = 0.0
                start = time.perf_counter()
                for user in ids:
                    await step(user)
                total = (time.perf_counter() - start) / users * 1e6
                print(f"{name:24s} {total:10.0f}   {in_store[0] / users * 1e6:10.0f}")
        finally:
            await app.shutdown()
            await svc.db.close()


def run_sqlite_inline() -> None:
    """What-if experiment: run aiosqlite's statements on the event loop thread, not its own.

    Not how the bot runs. It measures what the ~6-7 trips per update to aiosqlite's worker
    thread cost, by making each trip a plain call (the connection is opened with
    check_same_thread=False so the loop thread may use it).
    """
    import aiosqlite
    from aiosqlite import core

    import bot.store.db as dbmodule

    connect = aiosqlite.connect

    def connect_anywhere(*args: Any, **kwargs: Any) -> Any:
        kwargs["check_same_thread"] = False
        return connect(*args, **kwargs)

    dbmodule.aiosqlite.connect = connect_anywhere  # type: ignore[attr-defined]
    queued = core.Connection._execute

    async def inline(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self._connection is None:  # connecting still happens in the worker thread
            return await queued(self, fn, *args, **kwargs)
        return fn(*args, **kwargs)

    core.Connection._execute = inline  # type: ignore[method-assign]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--breakdown", action="store_true", help="cost of each step")
    parser.add_argument("--inline-sqlite", action="store_true",
                        help="what-if: run SQLite statements on the loop thread")
    parser.add_argument("--postgresql", nargs="?", const="pgserver", default=None,
                        metavar="URL", help="run on PostgreSQL: a private pgserver, or URL "
                                            "(whose bot tables are emptied)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    global DATABASE_URL
    if args.postgresql == "pgserver":
        import pgserver

        folder = tempfile.mkdtemp(prefix="jdbench-pg-")
        server = pgserver.get_server(folder, cleanup_mode="delete")
        DATABASE_URL = f"postgresql://postgres@/postgres?host={folder}"
        print(f"PostgreSQL {server.psql('SHOW server_version;').split()[2]} from pgserver "
              f"in {folder}")
    elif args.postgresql:
        DATABASE_URL = args.postgresql

    if args.inline_sqlite:
        run_sqlite_inline()
        print("WHAT-IF: SQLite statements run on the event loop thread (not how the bot runs)")
    if args.breakdown:
        await breakdown(args.users)
        return
    if args.profile:
        profile = cProfile.Profile()
        await run_triage(args.users, profile)
        stats = pstats.Stats(profile).strip_dirs().sort_stats("cumulative")
        stats.print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        return

    figures: dict[str, list[tuple[float, float]]] = {"echo": [], "floor": [], "triage": []}
    count = args.users * 10
    for _ in range(args.rounds):
        wall, cpu, count = await run_triage(args.users)
        figures["triage"].append((wall / count * 1e6, cpu / count * 1e6))
        wall, cpu = await run_echo(count)
        figures["echo"].append((wall / count * 1e6, cpu / count * 1e6))
        wall, cpu = await run_floor(count)
        figures["floor"].append((wall / count * 1e6, cpu / count * 1e6))
    # Best of the rounds: other processes on a shared machine only ever add time.
    best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in figures.items()}
    print(f"updates per round: {args.users} users x 10 triage updates = {count}; the same "
          f"number of echo updates and of keyboard presses; best of {args.rounds} rounds")
    print("                         wall us/update   cpu us/update   (all rounds, wall)")
    labels = {"echo": "bare PTB echo handler", "floor": "PTB keyboard redraw",
              "triage": "triage step"}
    for key, label in labels.items():
        rounds = ", ".join(f"{w:.0f}" for w, _ in figures[key])
        print(f"{label:24s} {best[key][0]:10.1f} {best[key][1]:15.1f}     ({rounds})")
    ratio = best["triage"][0] / best["echo"][0]
    ratio_cpu = best["triage"][1] / best["echo"][1]
    print(f"ratio triage / echo      {ratio:10.2f}x {ratio_cpu:14.2f}x    (aim <= 2x)")
    print(f"ratio floor / echo       {best['floor'][0] / best['echo'][0]:10.2f}x "
          f"{best['floor'][1] / best['echo'][1]:14.2f}x    (PTB alone, no app logic)")
    print(f"triage updates/s, 1 core {1e6 / best['triage'][0]:10.0f}"
          f"{1e6 / best['triage'][1]:16.0f}     (aim >= 1,000)")


if __name__ == "__main__":
    asyncio.run(main())
