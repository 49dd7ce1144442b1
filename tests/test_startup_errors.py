"""``python -m bot run`` that cannot reach Telegram: one line naming the cause and an exit code.

Exit codes (README "Exit codes"): 2 settings, 3 Bot API unreachable, 4 token rejected,
5 ``BOT_API_BASE_URL`` is not a Bot API. Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web

from bot.startup import EXIT_NOT_BOT_API, EXIT_TOKEN, EXIT_UNREACHABLE, explain
from tests.fakes.botapi import ApiError, FakeBotApi, JSONDict
from tests.proc import TEST_TOKEN, BotProcess, bot_env

pytestmark = pytest.mark.slow


class RejectingBotApi(FakeBotApi):
    """The fake Bot API configured to refuse the bot's token, as Telegram does (401)."""

    def _get_me(self, _params: JSONDict) -> JSONDict:
        raise ApiError(401, "Unauthorized")


async def run_until_exit(tmp_path: Path, base_url: str) -> tuple[int, list[str]]:
    """Run ``python -m bot run`` against ``base_url``; return its exit code and stderr lines."""
    bot = BotProcess(("run",), bot_env(tmp_path / "bot.sqlite3", base_url))
    await bot.start(ready="")
    assert bot.proc is not None
    try:
        await asyncio.wait_for(bot.proc.wait(), 30)
    finally:
        code = await bot.terminate()
    return code, bot.log + bot.stdout


INFO_RECORD = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ INFO ")


def assert_one_line(lines: list[str], *needles: str) -> str:
    """Besides INFO records (migrations of a new database), the output is one ``error:`` line
    holding every needle: no traceback, no token."""
    rest = [line for line in lines if not INFO_RECORD.match(line)]
    assert len(rest) == 1, lines
    line = rest[0]
    assert line == lines[-1]
    assert line.startswith("error: ")
    for needle in needles:
        assert needle in line, (needle, line)
    assert TEST_TOKEN not in line and TEST_TOKEN.split(":")[1] not in line
    return line


def closed_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def http_server(answer: Callable[[web.Request], web.Response]) -> AsyncIterator[str]:
    """Serve ``answer`` for every path on 127.0.0.1; yield the base URL."""
    app = web.Application()

    async def handle(request: web.Request) -> web.Response:
        return answer(request)

    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/bot"
    finally:
        await runner.cleanup()


async def test_closed_port_is_network_unreachable(tmp_path: Path) -> None:
    port = closed_port()
    code, lines = await run_until_exit(tmp_path, f"http://127.0.0.1:{port}/bot")
    assert code == EXIT_UNREACHABLE == 3
    assert_one_line(lines, "error: network:", f"127.0.0.1:{port}", "cannot connect")


async def test_rejected_token(tmp_path: Path) -> None:
    async with RejectingBotApi() as api:
        code, lines = await run_until_exit(tmp_path, api.base_url)
        assert [c.method for c in api.calls] == ["getMe"]
    assert code == EXIT_TOKEN == 4
    assert_one_line(lines, "error: setting BOT_TOKEN:", "rejected", "Unauthorized")


async def test_not_a_bot_api_404_page(tmp_path: Path) -> None:
    page = "<html><body><h1>404 Not Found</h1></body></html>"
    async with http_server(lambda _: web.Response(status=404, text=page,
                                                  content_type="text/html")) as url:
        code, lines = await run_until_exit(tmp_path, url)
    assert code == EXIT_NOT_BOT_API == 5
    assert_one_line(lines, "error: setting BOT_API_BASE_URL:", "not Bot API JSON")


async def test_not_a_bot_api_ok_page(tmp_path: Path) -> None:
    async with http_server(lambda _: web.Response(text="<html>hello</html>",
                                                  content_type="text/html")) as url:
        code, lines = await run_until_exit(tmp_path, url)
    assert code == EXIT_NOT_BOT_API
    assert_one_line(lines, "error: setting BOT_API_BASE_URL:", "not Bot API JSON")


async def test_json_that_is_not_the_bot_api(tmp_path: Path) -> None:
    async with http_server(lambda _: web.json_response({"status": "ok"})) as url:
        code, lines = await run_until_exit(tmp_path, url)
    assert code == EXIT_NOT_BOT_API
    assert_one_line(lines, "error: setting BOT_API_BASE_URL:", "unexpected answer")


async def test_the_fake_bot_api_under_a_wrong_path(tmp_path: Path) -> None:
    async with FakeBotApi() as api:
        code, lines = await run_until_exit(tmp_path, api.base_url.replace("/bot", "/nope/bot"))
    assert code == EXIT_NOT_BOT_API
    assert_one_line(lines, "error: setting BOT_API_BASE_URL:")


def test_dns_failure_is_named() -> None:
    """A resolver error (no network in tests: the exception chain PTB raises for it)."""
    from telegram.error import NetworkError

    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as inner:
            raise NetworkError("httpx.ConnectError: [Errno -2] Name or service not known"
                               ) from inner
    except NetworkError as exc:
        error = explain(exc, "https://api.telegram.org/bot")
    assert error.code == EXIT_UNREACHABLE
    assert error.message == ("error: network: cannot resolve api.telegram.org (DNS); check the "
                             "network, or BOT_API_BASE_URL")


def test_the_token_never_appears() -> None:
    from telegram.error import InvalidToken

    try:
        try:
            raise InvalidToken(f"Not Found {TEST_TOKEN}")
        except InvalidToken as inner:
            raise InvalidToken(f"The token `{TEST_TOKEN}` was rejected by the server.") from inner
    except InvalidToken as exc:
        error = explain(exc, f"http://127.0.0.1:1/bot{TEST_TOKEN}", TEST_TOKEN)
    assert error.code == EXIT_TOKEN
    assert TEST_TOKEN not in error.message
