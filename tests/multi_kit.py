"""Several ``python -m bot webhook`` processes on one database behind a round-robin proxy.

The fake Bot API posts updates to the proxy (as Telegram posts to a load balancer), the proxy
spreads them over the instances, every instance sends through the fake. The database is one
SQLite file, or PostgreSQL (``Cluster.database_url``): data is prepared in a SQLite file either
way and copied into PostgreSQL with ``copy_to_postgresql``; ``Store`` reads either. Used by
tests/test_multi_instance.py and bench/multi_bench.py.
"""

from __future__ import annotations

import asyncio
import re
import socket
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

from bot.i18n import Translator
from bot.store import copy as store_copy
from bot.store.db import Database, open_database
from tests.fakes.botapi import Call, FakeBotApi
from tests.proc import BotProcess, bot_env
from tests.rrproxy import RoundRobinProxy

T = Translator()
SECRET = "multi_instance-secret"
ADMIN = 9
CallPredicate = Callable[[Call], bool]


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def plain(text: str) -> str:
    """Strip HTML tags and entities."""
    return unescape(re.sub(r"<[^>]+>", "", text))


def shows(key: str, chat: int, **variables: str | int) -> CallPredicate:
    """A sendMessage to ``chat`` whose text starts like the English string ``key``."""
    needle = plain(T("en", key, **variables)).splitlines()[0]
    return lambda c: (c.method == "sendMessage" and c.ok and c.chat_id == chat
                      and needle in plain(str(c.params.get("text", ""))))


def shows_case(key: str, chat: int) -> CallPredicate:
    """Like ``shows``, for a string naming a case (any case number)."""
    head, _, tail = plain(T("en", key, case=987654321)).splitlines()[0].partition("987654321")
    return lambda c: (c.method == "sendMessage" and c.ok and c.chat_id == chat
                      and head in (text := plain(str(c.params.get("text", ""))))
                      and tail in text)


def method_to(method: str, chat: int) -> CallPredicate:
    """A successful call of ``method`` for ``chat``."""
    return lambda c: c.method == method and c.ok and c.chat_id == chat


@dataclass
class Cluster:
    """N webhook instances sharing one database, a proxy in front, the fake behind.

    The SQLite file ``db``, or PostgreSQL at ``database_url`` when given.
    """

    db: Path
    api: FakeBotApi
    size: int = 3
    env: Mapping[str, str] = field(default_factory=dict)
    database_url: str | None = None
    bots: list[BotProcess] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    proxy: RoundRobinProxy | None = None

    def _bot(self, i: int) -> BotProcess:
        extra = {
            "WEBHOOK_URL": "https://bot.example/hook",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(self.ports[i]),
            "INSTANCE_ID": f"bot{i + 1}",
            "INSTANCE_HEARTBEAT_S": "0.5",
            "INSTANCE_LEASE_S": "3",
            "QUIET_HOURS": "",
            "ADMIN_IDS": str(ADMIN),
            **({"DATABASE_URL": self.database_url} if self.database_url else {}),
            **self.env,
        }
        return BotProcess(("webhook",), bot_env(self.db, self.api.base_url, extra=extra))

    async def start(self) -> None:
        """Start the instances (at once: they share the migration), the proxy, delivery."""
        self.ports = [free_port() for _ in range(self.size)]
        self.bots = [self._bot(i) for i in range(self.size)]
        await asyncio.gather(*(bot.start(ready="ready: webhook", timeout=60)
                               for bot in self.bots))
        self.proxy = RoundRobinProxy([f"http://127.0.0.1:{p}" for p in self.ports])
        await self.proxy.start()
        self.api.deliver_to(self.proxy.url + "/telegram")

    def url(self, i: int) -> str:
        """Return instance i's webhook address (bypassing the proxy)."""
        return f"http://127.0.0.1:{self.ports[i]}/telegram"

    async def kill(self, i: int) -> None:
        """SIGKILL instance i."""
        await self.bots[i].kill9()

    async def restart(self, i: int) -> None:
        """Start instance i again under the same INSTANCE_ID and port."""
        self.bots[i] = self._bot(i)
        await self.bots[i].start(ready="ready: webhook", timeout=60)

    async def stop(self) -> list[int]:
        """Stop every instance still running (SIGTERM); return their exit codes."""
        codes = []
        for bot in self.bots:
            if bot.proc is not None and bot.proc.returncode is None:
                codes.append(await bot.terminate())
        if self.proxy is not None:
            await self.proxy.stop()
        return codes

    def logs(self) -> list[str]:
        """Every instance's log lines."""
        return [line for bot in self.bots for line in bot.log]


class Store:
    """The cluster's database as the test reads it (SQLite or PostgreSQL, ``?`` parameters)."""

    def __init__(self, db: Path, database_url: str | None = None) -> None:
        self.path = db
        self.url = database_url
        self._db: Database | None = None

    async def rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Return every row of a query, as tuples."""
        if self._db is None:
            self._db = await open_database(self.url, self.path, migrate=False)
        return [tuple(row) for row in await self._db.fetch(query, params)]

    async def close(self) -> None:
        """Close the connections (if any were opened)."""
        if self._db is not None:
            await self._db.close()
            self._db = None


async def copy_to_postgresql(db: Path, url: str) -> None:
    """Copy a prepared SQLite file into PostgreSQL (``python -m bot db copy``'s code)."""
    await store_copy.copy(db, url, lambda line: None)


async def act(api: FakeBotApi, action: Callable[[], object], until: CallPredicate,
              timeout: float = 8.0, tries: int = 3) -> Call:
    """Do what a user does and wait for the answer; do it again if none comes (an update the
    killed instance had accepted is lost, as with Telegram: the user taps again)."""
    for attempt in range(tries):
        since = len(api.calls)
        action()
        try:
            return await api.wait_for(until, timeout, since=since)
        except TimeoutError:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


async def triage(api: FakeBotApi, u: int) -> float:
    """Walk one English-speaking user from /start to the plan; return the seconds it took."""
    started = time.monotonic()

    def press(key: str) -> Callable[[], object]:
        return lambda: press_label(api, u, T("en", key))

    def say(text: str) -> Callable[[], object]:
        return lambda: api.user_sends_text(u, text, language_code="en")

    await act(api, say("/start"), shows("welcome", u))
    await act(api, press("btn-consent-yes"), shows("triage-symptoms-prompt", u))
    await act(api, press("symptom-jintiao"), method_to("editMessageReplyMarkup", u))
    await act(api, press("btn-done"), shows("triage-emergency-prompt", u))
    await act(api, press("btn-proceed"), shows("q-noticed", u))
    await act(api, press("q-noticed-hour"), shows("q-amount", u))
    await act(api, say("1299"), shows("q-cause", u))
    await act(api, press("q-cause-none"), shows("q-police", u))
    await act(api, press("q-police-reported"), shows_case("plan-footer", u))
    return time.monotonic() - started


def press_label(api: FakeBotApi, u: int, label: str) -> int:
    """Press the button ``label`` on the newest bot message of the chat that has it (if none
    has it any more, the earlier press was handled: press nothing)."""
    for message in reversed(api.messages(u)):
        for text, data in api.buttons(message):
            if label in text:
                return api.user_presses(u, message, data, language_code="en")
    # The button is gone: the first press was handled and its answer is still on its way.
    return 0


def add_subscribers(db: Path, users: range) -> None:
    """Subscribe users to alerts straight in the database (they would have sent /subscribe)."""
    conn = sqlite3.connect(db, timeout=10)
    with conn:
        conn.executemany("INSERT OR IGNORE INTO users(user_id, locale, created_at, updated_at) "
                         "VALUES (?, 'en', 0, 0)", ((u,) for u in users))
        conn.executemany("INSERT OR IGNORE INTO alert_subscribers(user_id, created_at) "
                         "VALUES (?, 0)", ((u,) for u in users))
    conn.close()


async def broadcast(api: FakeBotApi, mark: str) -> None:
    """The admin writes an alert and presses Send (the preview answers in Chinese)."""
    await act(api, lambda: api.user_sends_text(ADMIN, f"/alert {mark}"),
              lambda c: c.method == "sendMessage" and c.ok and c.chat_id == ADMIN
              and "reply_markup" in c.params)
    api.user_presses_button(ADMIN, "发送")


def alert_counts(api: FakeBotApi, mark: str) -> Counter[int]:
    """How many times each chat got the alert."""
    return Counter(int(c.params["chat_id"]) for c in api.calls_of("sendMessage")
                   if c.ok and c.chat_id != ADMIN and mark in str(c.params.get("text", "")))


def max_per_second(api: FakeBotApi, method: str = "sendMessage") -> int:
    """The most successful ``method`` calls the fake answered in any one-second window."""
    times = sorted(c.at for c in api.calls_of(method) if c.ok)
    best, j = 0, 0
    for i, at in enumerate(times):
        while times[j] <= at - 1.0:
            j += 1
        best = max(best, i - j + 1)
    return best
