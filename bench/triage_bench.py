"""Cost per update of a triage step against a bare PTB echo handler, in the same offline harness.

    .venv/bin/python -m bench.triage_bench                 # 300 users, 3 rounds
    .venv/bin/python -m bench.triage_bench --users 1000 --rounds 5
    .venv/bin/python -m bench.triage_bench --profile       # cProfile of one triage round

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
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.app import App, build_application, build_services
from bot.settings import Settings
from bot.transport.local import LOCAL_TOKEN, LocalBotApi, UpdateFactory

FIRST_USER = 100_000


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


async def echo_app() -> tuple[App, UpdateFactory]:
    api = LocalBotApi(record=False)
    app: App = Application.builder().token(LOCAL_TOKEN).request(api).get_updates_request(
        api).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    return app, UpdateFactory(app.bot, api)


async def triage_app(folder: Path) -> tuple[App, LocalBotApi, UpdateFactory, Any]:
    settings = Settings(_env_file=None, database_path=folder / "bench.sqlite3",  # type: ignore[call-arg]
                        bot_token=None)
    svc = await build_services(settings)
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
            self.press(lambda u: f"an:{c[u]}:{at['noticed']}:0"),
            self.typed("1,299元"),
            self.press(lambda u: f"an:{c[u]}:{at['cause']}:3"),
            self.press(lambda u: f"an:{c[u]}:{at['police']}:0"),
        ]


async def run_echo(n: int) -> float:
    """Return seconds for n echo updates."""
    app, updates = await echo_app()
    try:
        for i in range(50):  # warm up
            await app.process_update(updates.text(FIRST_USER + i, "warm"))
        start = time.perf_counter()
        for i in range(n):
            await app.process_update(updates.text(FIRST_USER + i % 500, "1,299元"))
        return time.perf_counter() - start
    finally:
        await app.shutdown()


async def run_triage(users: int, profile: cProfile.Profile | None = None) -> tuple[float, int]:
    """Return (seconds, updates) for the triage workload on a fresh database."""
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
            start = time.perf_counter()
            for step in steps:
                for user in ids:
                    await step(user)
            elapsed = time.perf_counter() - start
            if profile is not None:
                profile.disable()
            await check_done(svc, ids)
            return elapsed, users * len(steps)
        finally:
            await app.shutdown()
            await svc.db.close()


async def check_done(svc: Any, users: list[int]) -> None:
    """Make sure the workload really walked every case to its verdict."""
    async with svc.db.conn.execute(
        "SELECT COUNT(*) FROM cases WHERE status='planned' AND verdict='covered' "
        "AND emergency_done='[\"call_110\",\"freeze_jintiao\"]' AND amount='1299.00'"
    ) as cur:
        row = await cur.fetchone()
    if row[0] != len(users):
        raise SystemExit(f"only {row[0]} of {len(users)} cases reached the verdict")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    if args.profile:
        profile = cProfile.Profile()
        await run_triage(args.users, profile)
        stats = pstats.Stats(profile).strip_dirs().sort_stats("cumulative")
        stats.print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        return

    echo_us: list[float] = []
    triage_us: list[float] = []
    for _ in range(args.rounds):
        seconds, count = await run_triage(args.users)
        triage_us.append(seconds / count * 1e6)
        echo_seconds = await run_echo(count)
        echo_us.append(echo_seconds / count * 1e6)
    echo_med = statistics.median(echo_us)
    triage_med = statistics.median(triage_us)
    print(f"updates per round: {args.users} users x 10 triage updates = {args.users * 10}; "
          f"the same number of echo updates")
    print(f"echo handler   : {echo_med:8.1f} us/update  (rounds: "
          f"{', '.join(f'{x:.1f}' for x in echo_us)})")
    print(f"triage step    : {triage_med:8.1f} us/update  (rounds: "
          f"{', '.join(f'{x:.1f}' for x in triage_us)})")
    print(f"ratio          : {triage_med / echo_med:8.2f} x echo  (aim <= 2x)")
    print(f"triage rate    : {1e6 / triage_med:8.0f} updates/s on one core  (aim >= 1,000)")
    print(f"echo rate      : {1e6 / echo_med:8.0f} updates/s")


if __name__ == "__main__":
    asyncio.run(main())
