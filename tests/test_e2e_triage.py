"""The bot as its own process (``python -m bot run``) long polling a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.handlers.general import MENU
from bot.i18n import Translator
from bot.store.db import PostgresDatabase
from tests.fakes.botapi import Call, FakeBotApi
from tests.proc import TEST_TOKEN, run_bot

pytestmark = pytest.mark.slow

T = Translator()


def says(chat: int, text: str, method: str = "sendMessage") -> Callable[[Call], bool]:
    """Match a successful call to ``chat`` whose text is exactly ``text``."""
    return lambda c: (c.method == method and c.ok and c.chat_id == chat
                      and c.params.get("text") == text)


def says_starting(chat: int, text: str) -> Callable[[Call], bool]:
    return lambda c: (c.method == "sendMessage" and c.ok and c.chat_id == chat
                      and str(c.params.get("text", "")).startswith(text))


def says_ending(chat: int, text: str) -> Callable[[Call], bool]:
    return lambda c: (c.method == "sendMessage" and c.ok and c.chat_id == chat
                      and str(c.params.get("text", "")).endswith(text))


def edited(chat: int) -> Callable[[Call], bool]:
    return lambda c: c.method.startswith("editMessage") and c.ok and c.chat_id == chat


class User:
    """A Telegram user talking to the bot process through the fake server."""

    def __init__(self, api: FakeBotApi, user_id: int, lang: str) -> None:
        self.api, self.id, self.lang = api, user_id, lang

    def t(self, key: str, **variables: str | int) -> str:
        return T(self.lang, key, **variables)

    async def send(self, text: str, until: Callable[[Call], bool]) -> Call:
        since = len(self.api.calls)
        self.api.user_sends_text(self.id, text, language_code=self.lang)
        return await self.api.wait_for(until, since=since)

    async def press(self, key: str, until: Callable[[Call], bool]) -> Call:
        since = len(self.api.calls)
        self.api.user_presses_button(self.id, self.t(key), language_code=self.lang)
        return await self.api.wait_for(until, since=since)


async def walk_whole_triage(u: User) -> None:
    """Drive one user from /start to the plan; every step waits for the bot's own reply."""
    c = u.id
    await u.send("/start", says(c, u.t("welcome") + "\n\n" + u.t("privacy-short")))
    await u.press("btn-consent-yes", says(c, u.t("triage-symptoms-prompt")))
    await u.press("symptom-jintiao", edited(c))
    await u.press("symptom-balance-card", edited(c))
    await u.press("btn-done", says_starting(c, u.t("emergency-urgent")))
    await u.press("emergency-call-110-short", edited(c))
    await u.press("btn-proceed", says(c, u.t("q-noticed")))
    await u.press("q-noticed-hour", says(c, u.t("q-amount")))
    await u.send("12x", says(c, u.t("q-amount-invalid")))
    await u.send("1,299元", says(c, u.t("q-cause")))
    await u.press("q-cause-none", says(c, u.t("q-police")))
    await u.press("q-police-reported",
                  says_ending(c, u.t("plan-footer", case=1 if c == 42 else 2)))


async def test_whole_triage_over_http(tmp_path: Path) -> None:
    async with FakeBotApi() as api:
        bot = run_bot(tmp_path / "bot.sqlite3", api.base_url)
        await bot.start()
        try:
            zh = User(api, 42, "zh-CN")
            await walk_whole_triage(zh)
            seen = ["\n".join(api.texts(42))]
            # The plan's parts open in place, in the same message.
            for button in ("btn-show-evidence", "btn-show-claim", "btn-show-escalation"):
                await zh.press(button, edited(42))
                seen.append("\n".join(api.texts(42)))
            texts = "\n".join(seen)
            for key in ("verdict-claimable", "plan-lead-claim", "evidence-intro", "claim-intro",
                        "escalate-intro-later"):
                assert zh.t(key) in texts, key
            # An English user, in the same process.
            en = User(api, 43, "en")
            await en.send("/start", says_starting(43, en.t("welcome")[:20]))
            await en.press("btn-consent-yes", says(43, en.t("triage-symptoms-prompt")))
            await en.send("hello", says(43, en.t("fallback-symptoms")))

            # The command menu in both languages: zh for Chinese clients, default for the rest.
            default = json.dumps({"type": "default"}, sort_keys=True)
            assert set(api.commands) == {(default, "zh"), (default, "")}
            for (_, lang), commands in api.commands.items():
                locale = "zh-CN" if lang == "zh" else "en"
                assert [(c["command"], c["description"]) for c in commands] == [
                    (cmd, T(locale, key)) for cmd, key in MENU
                ]
            assert not api.server_errors
        finally:
            assert await bot.terminate() == 0, "SIGTERM exits cleanly"
        logs = "\n".join(bot.log + bot.stdout)
        assert TEST_TOKEN not in logs, "the token leaked into the logs"
        assert TEST_TOKEN.split(":")[1] not in logs
        assert "Traceback" not in logs
        assert any("stopping" in line for line in bot.log)


async def test_whole_triage_in_a_bot_process_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    """``python -m bot run`` with DATABASE_URL: the same walk, the case lands in PostgreSQL."""
    async with FakeBotApi() as api:
        bot = run_bot(tmp_path / "unused.sqlite3", api.base_url, extra={"DATABASE_URL": pg_url})
        await bot.start()
        try:
            await walk_whole_triage(User(api, 42, "zh-CN"))
            assert not api.server_errors
        finally:
            assert await bot.terminate() == 0, "SIGTERM exits cleanly"
        assert "Traceback" not in "\n".join(bot.log + bot.stdout)
    assert not (tmp_path / "unused.sqlite3").exists(), "nothing was written to SQLite"
    db = await PostgresDatabase.connect(pg_url)
    try:
        row = await db.fetchone("SELECT status, verdict, amount FROM cases WHERE user_id=42")
        assert row is not None and dict(row) == {
            "status": "planned", "verdict": "claimable", "amount": "1299.00"}
    finally:
        await db.close()
