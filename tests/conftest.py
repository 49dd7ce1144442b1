"""Offline harness: the real PTB Application on an in-memory Bot API, with an injected clock."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import warnings
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.app import App, build_application, build_services, start_app, stop_app
from bot.services import Services
from bot.settings import Settings
from bot.store.db import PostgresDatabase, open_database
from bot.transport.local import LOCAL_TOKEN, ApiCall, LocalBotApi, UpdateFactory

TZ = ZoneInfo("Asia/Shanghai")
# A Tuesday morning in Beijing: far from quiet hours and holidays.
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=TZ).timestamp()


@dataclass
class FakeClock:
    """A settable clock for Services.clock."""

    now: float = T0

    def __call__(self) -> float:
        """Return the current fake time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


@dataclass
class Harness:
    """One running Application plus helpers to act as users and read what the bot sent."""

    app: App
    svc: Services
    api: LocalBotApi
    updates: UpdateFactory
    settings: Settings
    clock: FakeClock
    languages: dict[int, str] = field(default_factory=dict)

    def t(self, key: str, locale: str = "zh-CN", **variables: Any) -> str:
        """Format a message as the bot would (assert on keys, not on sentences)."""
        return self.svc.t(locale, key, **variables)

    async def send(self, text: str, user: int = 1, *, lang: str | None = None,
                   chat_id: int | None = None, chat_type: str | None = None) -> list[ApiCall]:
        """Process a text message from a user; return the calls the bot made."""
        language = lang or self.languages.get(user, "zh-CN")
        self.languages[user] = language
        before = len(self.api.calls)
        update = self.updates.text(user, text, chat_id=chat_id, language_code=language,
                                   chat_type=chat_type)
        await self.app.process_update(update)
        return self.api.calls[before:]

    async def press(self, label: str, user: int = 1, *, chat_id: int | None = None,
                    data: str | None = None) -> list[ApiCall]:
        """Press the newest button whose label contains ``label`` (or whose data is ``data``)."""
        chat = chat_id if chat_id is not None else user
        message, callback = self.find_button(chat, label, data)
        language = self.languages.get(user, "zh-CN")
        before = len(self.api.calls)
        update = self.updates.press(user, message, callback, language_code=language)
        await self.app.process_update(update)
        return self.api.calls[before:]

    async def press_data(self, data: str, message: dict[str, Any], user: int = 1) -> list[ApiCall]:
        """Press arbitrary (perhaps forged) callback data on a given message."""
        language = self.languages.get(user, "zh-CN")
        before = len(self.api.calls)
        await self.app.process_update(self.updates.press(user, message, data,
                                                         language_code=language))
        return self.api.calls[before:]

    def find_button(self, chat: int, label: str, data: str | None = None
                    ) -> tuple[dict[str, Any], str]:
        """Return (message, callback data) of the newest matching button in a chat."""
        for message in reversed(list(self.api.messages.get(chat, {}).values())):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    cb = button.get("callback_data")
                    if cb is None:
                        continue
                    if (data is not None and cb == data) or (data is None and label in
                                                             button["text"]):
                        return message, str(cb)
        raise LookupError(f"no button {label or data!r} in chat {chat}")

    def buttons(self, chat: int) -> list[str]:
        """Return the labels of every button currently shown in a chat, newest message last."""
        return [
            button["text"]
            for message in self.api.messages.get(chat, {}).values()
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]

    def texts(self, chat: int) -> list[str]:
        """Return the current text of every message in a chat, oldest first."""
        return [m.get("text", "") for m in self.api.messages.get(chat, {}).values()]

    def last_text(self, chat: int) -> str:
        """Return the text of the newest message in a chat."""
        return self.texts(chat)[-1]

    def saw(self, chat: int, key: str, locale: str = "zh-CN", **variables: Any) -> bool:
        """Tell whether any message in the chat contains the formatted key."""
        needle = _plain(self.t(key, locale, **variables))
        return any(needle in _plain(text) for text in self.texts(chat))

    def alerts(self) -> list[str]:
        """Return the texts of callback answers (toasts and alerts), oldest first."""
        return [str(c.params.get("text", "")) for c in self.api.calls
                if c.method == "answerCallbackQuery"]


def _plain(text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", text))


def make_settings(tmp_path: Path, *, database_url: str | None = None,
                  **overrides: Any) -> Settings:
    """Settings for tests: a temporary database (SQLite, or PostgreSQL at ``database_url``),
    no .env, no token."""
    values: dict[str, Any] = {"database_path": tmp_path / "bot.sqlite3", "bot_token": None,
                              "database_url": database_url}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


# ---- PostgreSQL: one real server per test session, one fresh database per test --------------

DIALECTS = ["sqlite", "postgresql"]
TEMPLATE = "jdtemplate"


class PgServer:
    """A PostgreSQL server started by pgserver (its own binaries, a Unix socket in a temp dir)."""

    def __init__(self, folder: Path) -> None:
        with warnings.catch_warnings():
            # platformdirs warns at import when XDG_RUNTIME_DIR is unset (CI containers).
            warnings.simplefilter("ignore")
            import pgserver

        self.folder = folder
        self.server = pgserver.get_server(folder, cleanup_mode="stop")
        self._n = 0
        # Migrated once; each test's database is a copy of it (CREATE DATABASE … TEMPLATE),
        # far cheaper than running every migration per test. Migrations themselves are
        # tested on an empty database (tests/test_db_cli.py).
        self.server.psql(f"CREATE DATABASE {TEMPLATE};")
        with ThreadPoolExecutor(1) as worker:  # no event loop may run in this thread
            worker.submit(asyncio.run, _migrate(self.url(TEMPLATE))).result()

    def url(self, database: str) -> str:
        """Return the URL of a database on this server (Unix socket, no password)."""
        return f"postgresql://postgres@/{database}?host={self.folder}"

    def create(self, *, empty: bool = False) -> str:
        """Create a migrated (or an empty) database; return its name."""
        self._n += 1
        name = f"t{os.getpid()}_{self._n}"
        self.server.psql(f"CREATE DATABASE {name}" + ("" if empty else f" TEMPLATE {TEMPLATE}")
                         + ";")
        return name

    def drop(self, name: str) -> None:
        """Drop a database (closing what is still connected to it)."""
        self.server.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE);")


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgServer]:
    """Start PostgreSQL once for the session (a few seconds) and stop it at the end."""
    # A short path: the server's Unix socket path must stay under ~100 bytes.
    folder = Path(tempfile.mkdtemp(prefix="jdpg-"))
    server = PgServer(folder)
    try:
        yield server
    finally:
        server.server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database with every migration, dropped after the test."""
    name = pg_server.create()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop(name)


@pytest.fixture
def pg_empty_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database (no migration), dropped after the test."""
    name = pg_server.create(empty=True)
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop(name)


async def _migrate(url: str) -> None:
    db = await PostgresDatabase.connect(url)
    await db.close()


@pytest.fixture
def dialect() -> str:
    """The store the harness runs on; a module sets ``dialect = both_dialects`` for both."""
    return "sqlite"


@pytest.fixture(params=DIALECTS)
def both_dialects(request: pytest.FixtureRequest) -> str:
    """Run a test on SQLite and on PostgreSQL (assign to a module's ``dialect``)."""
    return str(request.param)


def database_url_for(request: pytest.FixtureRequest, dialect: str) -> str | None:
    """Return a fresh PostgreSQL URL for the postgresql dialect, None for SQLite."""
    return str(request.getfixturevalue("pg_url")) if dialect == "postgresql" else None


def check_reminders_once_or_reasked(first: dict[int, str], delivered: Counter[int],
                                    reasked: set[int]) -> Counter[str]:
    """Every reminder reached its user at most once; each case's first reminder was either sent
    (and delivered once) or interrupted by a killed process (never resent) and asked again
    later. ``first``: case -> state of its first reminder; ``delivered``: sends per case;
    ``reasked``: cases with a later pending reminder. Returns the count of each state."""
    assert max(delivered.values()) == 1, "a reminder was delivered twice"
    states = Counter(first.values())
    assert set(states) <= {"sent", "interrupted"}, states
    for case, state in first.items():
        if state == "sent":
            assert delivered[case] == 1
        else:
            assert case in reasked
    return states


async def read_store(url: str | None, path: Path, sql: str,
                     params: tuple[object, ...] = ()) -> list[dict[str, Any]]:
    """Read straight from a bot process's store (PostgreSQL at ``url``, else the SQLite file),
    as a fresh process would."""
    store = await open_database(url, path, migrate=False)
    try:
        return [dict(row) for row in await store.fetch(sql, params)]
    finally:
        await store.close()


async def start_harness(settings: Settings, clock: FakeClock) -> Harness:
    """Build and start an Application on the in-memory Bot API."""
    svc = await build_services(settings, clock=clock)
    api = LocalBotApi()
    app = build_application(svc, token=LOCAL_TOKEN, request=api, get_updates_request=api)
    await app.initialize()
    await start_app(app)
    return Harness(app, svc, api, UpdateFactory(app.bot, api), settings, clock)


async def stop_harness(h: Harness) -> None:
    """Stop the Application and close the database."""
    await stop_app(h.app)
    await h.app.shutdown()
    await h.svc.db.close()


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock starting on a weekday morning in Beijing."""
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, dialect: str, request: pytest.FixtureRequest) -> Settings:
    """Test settings on a temporary database (SQLite, or PostgreSQL if the module asks)."""
    return make_settings(tmp_path, database_url=database_url_for(request, dialect))


@pytest.fixture
async def harness(settings: Settings, clock: FakeClock) -> AsyncIterator[Harness]:
    """A started offline bot."""
    h = await start_harness(settings, clock)
    try:
        yield h
    finally:
        await stop_harness(h)
