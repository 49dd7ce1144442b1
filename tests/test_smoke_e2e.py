"""The bot as its own process, long polling a fake Bot API server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.botapi import FakeBotApi
from tests.proc import TEST_TOKEN, run_bot

pytestmark = pytest.mark.slow


async def test_start_and_consent_over_http(tmp_path: Path) -> None:
    async with FakeBotApi() as api:
        bot = run_bot(tmp_path / "bot.sqlite3", api.base_url)
        await bot.start()
        try:
            api.user_sends_text(42, "/start", language_code="en")
            await api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 42)
            message = api.last_message(42)
            assert "JD Recovery Bot" in message["text"]
            api.user_presses_button(42, "Agree", language_code="en")
            await api.wait_for(
                lambda c: c.method == "sendMessage" and "What do you see" in c.params["text"]
            )
            assert api.commands, "the command menu was not published"
        finally:
            assert await bot.terminate() == 0
        assert not any(TEST_TOKEN in line for line in bot.log), "the token leaked into logs"
