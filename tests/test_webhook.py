"""Webhook mode: the secret token is checked, updates reach the handlers, probes and metrics."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.settings import Settings, SettingsError, load_settings
from bot.webhook import SECRET_HEADER, WEBHOOK_PATH, serve
from tests.conftest import FakeClock, Harness, make_settings, start_harness, stop_harness

SECRET = "s3cret_token-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def served(tmp_path: Path) -> Any:
    port = free_port()
    settings = make_settings(tmp_path, webhook_url="https://bot.example/hook",
                             webhook_secret=SECRET, webhook_listen="127.0.0.1",
                             webhook_port=port)
    h = await start_harness(settings, FakeClock())
    runner = await serve(h.app, settings)
    try:
        yield h, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
        await stop_harness(h)


async def wait_for_text(h: Harness, chat: int, timeout: float = 5.0) -> str:
    for _ in range(int(timeout / 0.02)):
        texts = h.texts(chat)
        if texts:
            return texts[-1]
        await asyncio.sleep(0.02)
    raise TimeoutError("the bot sent nothing")


async def test_updates_with_the_secret_are_handled_others_refused(served: Any) -> None:
    h, base = served
    update = h.updates.text(1, "/start").to_dict()
    async with aiohttp.ClientSession() as http:
        async with http.post(base + WEBHOOK_PATH, json=update) as r:
            assert r.status == 403, "no secret header"
        async with http.post(base + WEBHOOK_PATH, json=update,
                             headers={SECRET_HEADER: "wrong"}) as r:
            assert r.status == 403
        assert not h.texts(1), "a refused update reaches no handler"
        async with http.post(base + WEBHOOK_PATH, data=b"not json",
                             headers={SECRET_HEADER: SECRET}) as r:
            assert r.status == 400
        async with http.post(base + WEBHOOK_PATH, json=update,
                             headers={SECRET_HEADER: SECRET}) as r:
            assert r.status == 200
    text = await wait_for_text(h, 1)
    assert text.startswith(h.t("welcome").split("\n")[0])


async def test_probes_and_metrics(served: Any) -> None:
    h, base = served
    async with aiohttp.ClientSession() as http:
        async with http.get(base + "/healthz") as r:
            assert r.status == 200
        async with http.get(base + "/readyz") as r:
            assert r.status == 200 and await r.text() == "ready"
        await http.post(base + WEBHOOK_PATH, json=h.updates.text(1, "/check 注销白条否则影响征信"
                                                                ).to_dict(),
                        headers={SECRET_HEADER: SECRET})
        await wait_for_text(h, 1)
        await asyncio.sleep(0.1)
        async with http.get(base + "/metrics") as r:
            body = await r.text()
    assert 'bot_updates_total{kind="message"} 1.0' in body
    assert 'bot_checker_verdicts_total{verdict="scam"} 1.0' in body
    assert "bot_update_seconds_count 1.0" in body
    assert "注销" not in body and "user" not in body.lower().replace("user_", ""), "no user data"
    # Not ready when the database is gone.
    await h.svc.db.close()
    async with aiohttp.ClientSession() as http, http.get(base + "/readyz") as r:
        assert r.status == 503


def test_webhook_settings_are_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name, value in (("WEBHOOK_SECRET", "has space"), ("WEBHOOK_URL", "http://plain"),
                        ("WEBHOOK_PORT", "70000")):
        monkeypatch.setenv(name, value)
        with pytest.raises(SettingsError, match=name):
            load_settings()
        monkeypatch.delenv(name)
    assert isinstance(Settings(_env_file=None), Settings)  # type: ignore[call-arg]


@pytest.mark.slow
async def test_webhook_process_sets_its_webhook_and_answers(tmp_path: Path) -> None:
    from tests.fakes.botapi import FakeBotApi
    from tests.proc import BotProcess, bot_env

    port = free_port()
    async with FakeBotApi() as api:
        env = bot_env(tmp_path / "bot.sqlite3", api.base_url, extra={
            "WEBHOOK_URL": "https://bot.example", "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)})
        bot = BotProcess(("webhook",), env)
        await bot.start()
        try:
            (call,) = api.calls_of("setWebhook")
            assert call.params["url"] == "https://bot.example" + WEBHOOK_PATH
            assert call.params["secret_token"] == SECRET
            assert int(call.params["max_connections"]) == 40
            assert "callback_query" in str(call.params["allowed_updates"])
            update = {"update_id": 1, "message": {
                "message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
                "from": {"id": 42, "is_bot": False, "first_name": "U", "language_code": "en"},
                "text": "/help", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
            async with aiohttp.ClientSession() as http, http.post(
                    f"http://127.0.0.1:{port}{WEBHOOK_PATH}", json=update,
                    headers={SECRET_HEADER: SECRET}) as r:
                assert r.status == 200
            await api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 42)
        finally:
            assert await bot.terminate() == 0
