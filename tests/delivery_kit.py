"""Shared by the delivery tests and the delivery bench: the bot over HTTP against the fake Bot API.

``HttpBot`` runs the real Application in this process with PTB's own HTTP client and long
polling against ``FakeBotApi`` on 127.0.0.1 (short timeouts and retry waits, so faults cost
little time). ``Walker`` drives one user through the whole triage whatever the flow's questions
are: it reads the stored case to decide the next press, and knows which screens must follow
each step (``step_screens`` / ``plan_screens``, the same functions the bot uses to resend them).
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from telegram import Update
from telegram.request import HTTPXRequest

from bot.app import App, build_application, build_services, start_app, stop_app
from bot.engine.loader import load_flow
from bot.engine.schema import AmountStep, ChoiceStep, EmergencyStep, SymptomsStep
from bot.handlers.common import DELIVERY_KEY, Delivery, delivery
from bot.handlers.triage import plan_screens, step_screens
from bot.handlers.views import Views
from bot.i18n import Translator
from bot.services import Services
from bot.settings import Settings
from bot.store.cases import CaseRow, CaseStatus, Store
from bot.store.db import Database, Tx
from bot.store.delivery import DeliveryStore
from bot.updates import ChatOrderedProcessor
from tests.fakes.botapi import Call, FakeBotApi
from tests.proc import TEST_TOKEN

FAST_RETRIES = (0.05, 0.1, 0.2, 0.4, 0.8)
# How long a read of a bot process's database may wait for a lock (WAL readers wait only while
# a connection recovers the WAL index after a crash).
OBSERVER_BUSY_MS = 1000
JSON = dict[str, Any]


def http_settings(database: Path, api: FakeBotApi) -> Settings:
    """Settings for a bot talking to the fake server."""
    return Settings(  # type: ignore[call-arg]
        _env_file=None, database_path=database, bot_token=TEST_TOKEN,
        bot_api_base_url=api.base_url, bot_api_file_url=api.base_file_url, quiet_hours=None,
    )


T = TypeVar("T")


class ObserverDatabase(Database):
    """A bot process's database as a test watches it: one read-only connection, read inline.

    It changes nothing in the bot's files (no migrations, no checkpoints: the process under
    test does its own, crashes included) and a read waits at most ``OBSERVER_BUSY_MS``.
    """

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__()
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                              check_same_thread=False)
        raw.row_factory = sqlite3.Row
        raw.execute(f"PRAGMA busy_timeout={OBSERVER_BUSY_MS}")
        self._raw: sqlite3.Connection | None = raw

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Read rows inline on the read-only connection."""
        if self._raw is None:
            raise RuntimeError("the observer is closed")
        return self._raw.execute(sql, tuple(params)).fetchall()

    async def write(self, fn: Callable[[Tx], Awaitable[T]]) -> T:
        """Refuse: the observer only reads."""
        raise PermissionError("the observer of a bot's database does not write")

    def transaction(self) -> AbstractAsyncContextManager[Tx]:
        """Refuse: the observer only reads."""
        raise PermissionError("the observer of a bot's database does not write")

    async def close(self) -> None:
        """Close the connection."""
        if self._raw is not None:
            self._raw.close()
            self._raw = None


def observe(database: Path, api: FakeBotApi) -> Services:
    """Services reading a bot process's database (open it once the process created it)."""
    translator = Translator()
    db = ObserverDatabase(database)
    return Services(settings=http_settings(database, api), db=db, store=Store(db), t=translator,
                    flow=load_flow(translator=translator))


@dataclass
class HttpBot:
    """The application polling the fake server, in this process."""

    api: FakeBotApi
    svc: Services
    app: App

    @property
    def processor(self) -> ChatOrderedProcessor:
        """The application's update processor."""
        processor = self.app.update_processor
        assert isinstance(processor, ChatOrderedProcessor)
        return processor

    def walker(self, chat: int, **options: Any) -> Walker:
        """A walker for one user of this bot."""
        return Walker(self.api, self.svc, chat, processor=self.processor, **options)

    async def stop(self) -> None:
        """Stop polling (confirming what was fetched), the application and the database."""
        assert self.app.updater is not None
        await self.app.updater.stop()
        await stop_app(self.app)
        await self.app.shutdown()
        await self.svc.db.close()


async def start_http_bot(api: FakeBotApi, database: Path, *, read_timeout: float = 5.0,
                         retry_delays: tuple[float, ...] = FAST_RETRIES,
                         rate_limit: bool = True, pool: int = 256) -> HttpBot:
    """Start the bot in this process against the fake server."""
    svc = await build_services(http_settings(database, api))
    svc.extras[DELIVERY_KEY] = Delivery(DeliveryStore(svc.db, svc.clock),
                                        retry_delays=retry_delays)
    app = build_application(
        svc, token=TEST_TOKEN,
        request=HTTPXRequest(connection_pool_size=pool, read_timeout=read_timeout,
                             pool_timeout=30.0),
        get_updates_request=HTTPXRequest(read_timeout=read_timeout),
        rate_limit=rate_limit,
    )
    await app.initialize()
    await start_app(app)
    assert app.updater is not None
    await app.updater.start_polling(timeout=1, poll_interval=0.0,
                                    allowed_updates=Update.ALL_TYPES)
    return HttpBot(api, svc, app)


def sent_to(chat: int, text: str) -> Callable[[Call], bool]:
    """Match a confirmed sendMessage with exactly this text."""
    return lambda c: (c.method == "sendMessage" and c.ok and c.chat_id == chat
                      and c.params.get("text") == text)


def newest_button(api: FakeBotApi, chat: int, prefix: str) -> tuple[JSON, str]:
    """Return the newest bot message with a button whose data starts with ``prefix``."""
    for message in reversed(api.messages(chat)):
        for _, data in api.buttons(message):
            if data.startswith(prefix):
                return message, data
    raise LookupError(f"chat {chat}: no button {prefix!r}")


@dataclass
class Step:
    """One action of a walk and the screens it must be followed by (empty: only an edit)."""

    name: str
    update_id: int = 0
    screens: list[str] = field(default_factory=list)
    started: float = 0.0
    answered: float | None = None


@dataclass
class Walker:
    """Walks one user through the triage, reading the stored case to choose each action."""

    api: FakeBotApi
    svc: Services
    chat: int
    lang: str = "zh-CN"
    amount: str = "1,299元"
    steps: list[Step] = field(default_factory=list)
    # Wait until each update is completely handled before the next action (tests), or only
    # until its screens arrived, as a person would (benchmarks).
    wait_handled: bool = True
    # Press every button twice at once, as a double tap does.
    double_press: bool = False
    # The bot's update processor when it runs in this process.
    processor: ChatOrderedProcessor | None = None
    # Follow the bot's calls instead of polling the database for the state (benchmarks: many
    # users in one process): an advancing step is known committed once its first message is
    # out, a toggle or a tick once its message is edited.
    event_driven: bool = False
    # Every update pushed, by id (to deliver one again).
    pushed: dict[int, JSON] = field(default_factory=dict)

    @property
    def views(self) -> Views:
        """Screens in the user's language."""
        return Views(self.svc, self.lang)

    async def case(self) -> CaseRow | None:
        """Return the user's current case as stored."""
        user = await self.svc.store.get_user(self.chat)
        return await self.svc.store.current_case(user) if user is not None else None

    async def expected(self) -> list[str]:
        """Return the texts the stored state says the user must be shown next.

        Without a case (a consent cut short by a crash: the update is recorded as handled
        before it runs, so it is not run again) that is the welcome, whose consent button must
        still be there to press.
        """
        case = await self.case()
        views = self.views
        if case is None:
            newest_button(self.api, self.chat, "cs:1")  # LookupError: the user is stuck
            return [views.welcome().text]
        if case.step is None and case.verdict is not None:
            return [s.text for s in plan_screens(views, case)]
        return [s.text for s in step_screens(views, case)]

    def press(self, prefix: str) -> int:
        """Press the newest button whose data starts with ``prefix``; return the update id."""
        message, data = newest_button(self.api, self.chat, prefix)
        first = self._keep(self.api.user_presses(self.chat, message, data,
                                                 language_code=self.lang))
        if self.double_press:
            self._keep(self.api.user_presses(self.chat, message, data, language_code=self.lang))
        return first

    def _keep(self, update_id: int) -> int:
        """Remember a pushed update (still queued at the fake until the bot confirms it)."""
        for update in self.api.pending_updates:
            if update["update_id"] == update_id:
                self.pushed[update_id] = dict(update)
        return update_id

    def type(self, text: str) -> int:
        """Type a message; return the update id."""
        return self._keep(self.api.user_sends_text(self.chat, text, language_code=self.lang))

    async def handled(self, update_id: int, timeout: float) -> None:
        """Wait until the bot finished handling an update.

        In this process the update processor says so; for a bot in another process, the
        update's id recorded in the database (as it starts) has to do.
        """
        deadline = time.monotonic() + timeout
        while not await self._finished(update_id):
            if time.monotonic() > deadline:
                raise TimeoutError(f"update {update_id} was not handled")
            await asyncio.sleep(0.01)

    async def _finished(self, update_id: int) -> bool:
        if self.processor is not None:
            return update_id in self.processor.finished
        return await delivery(self.svc).store.handled(update_id)

    async def next_action(self) -> tuple[str, Callable[[], int], bool] | None:
        """Return (name, do it, advances) for the next action, or None once planned."""
        case = await self.case()
        if case is None:
            # Not consented yet, or consented by an update cut short before its case was
            # opened: the welcome's consent button (still there) opens it.
            if not any(d.startswith("cs:1") for m in self.api.messages(self.chat)
                       for _, d in self.api.buttons(m)):
                user = await self.svc.store.get_user(self.chat)
                if user is not None and user.consented:
                    return None
                return "start", lambda: self.type("/start"), False
            return "consent", lambda: self.press("cs:1"), True
        if case.status is not CaseStatus.TRIAGE or case.step is None:
            return None
        step = self.svc.flow.step(case.step)
        if isinstance(step, SymptomsStep):
            if not case.symptoms:
                return "toggle", lambda: self.press("sy:"), False
            return "symptoms done", lambda: self.press("sd:"), True
        if isinstance(step, EmergencyStep):
            if not case.emergency_done:
                return "tick", lambda: self.press("tk:"), False
            return "proceed", lambda: self.press("go:"), True
        if isinstance(step, AmountStep):
            return f"type amount ({step.id})", lambda: self.type(self.amount), True
        if isinstance(step, ChoiceStep):
            return f"answer {step.id}", lambda: self.press("an:"), True
        raise AssertionError(f"unexpected step {case.step}")

    async def act(self, before: Callable[[str, bool], None] | None = None,
                  timeout: float = 20.0) -> Step | None:
        """Do the next action and wait until the stored state moved and its screens arrived."""
        action = await self.next_action()
        if action is None:
            return None
        name, do, advances = action
        state_before = (None, None) if self.event_driven else (
            await self.case(), await self.svc.store.get_user(self.chat))
        if before is not None:
            before(name, advances)
        since = len(self.api.calls)
        step = Step(name, started=time.monotonic())
        update_id = step.update_id = do()
        if name != "start" and not self.event_driven:
            await self.wait_state_change(state_before, timeout)
        if name == "start":
            await self.api.wait_for(
                lambda c: c.method == "sendMessage" and c.ok and c.chat_id == self.chat
                and any(d.startswith("cs:1") for _, d in self.api.buttons(c.result or {})),
                timeout, since=since)
        elif not advances and self.event_driven:
            await self.api.wait_for(
                lambda c: c.method.startswith("editMessage") and c.ok and c.chat_id == self.chat,
                timeout, since=since)
        elif advances:
            if self.event_driven:
                await self.api.wait_for(
                    lambda c: c.method == "sendMessage" and c.ok and c.chat_id == self.chat
                    and c.params.get("text") != self.svc.t(self.lang, "consent-thanks"),
                    timeout, since=since)
            step.screens = await self.expected()
            for text in step.screens:
                await self.api.wait_for(sent_to(self.chat, text), timeout, since=since)
        step.answered = time.monotonic()
        if self.wait_handled:
            await self.handled(update_id, timeout)
        self.steps.append(step)
        return step

    async def wait_state_change(self, before: tuple[Any, Any], timeout: float) -> None:
        """Wait until the stored case or user differs from ``before`` (the action was handled)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = (await self.case(), await self.svc.store.get_user(self.chat))
            if _changed(before, now):
                return
            await asyncio.sleep(0.01)
        raise TimeoutError(f"chat {self.chat}: the state did not change")

    async def walk(self, before: Callable[[str, bool], None] | None = None,
                   timeout: float = 20.0) -> list[Step]:
        """Walk from /start to the plan."""
        while await self.act(before, timeout) is not None:
            pass
        return self.steps


def _changed(before: tuple[Any, Any], now: tuple[Any, Any]) -> bool:
    case0, _ = before
    case1, _ = now
    if case0 is None or case1 is None:
        return case1 is not None  # consent: done once the first case is open
    keys = ("id", "step", "symptoms", "emergency_done", "answers", "verdict", "status")
    return any(getattr(case0, k) != getattr(case1, k) for k in keys)
