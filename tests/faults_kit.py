"""Shared by the fault tests of reminders and of the claim flow (bot process over HTTP)."""

from __future__ import annotations

from aiohttp import web

from tests.fakes.botapi import FakeBotApi, JSONDict

FAULTS = ["server_error", "bad_gateway", "timeout", "disconnect"]
# PTB's default read timeout in the bot process is 5 s: a 6 s late answer is a timeout after
# the fake carried the request out ("timeout after delivery").
LATE = 6.0


class AnswerFaults(FakeBotApi):
    """The fake Bot API, where a fault can also be set on a chat's button answers.

    ``answerCallbackQuery`` names no chat, so the fake cannot match it to a chat's fault; the
    chat is read from the query id the fake made up for a private chat (user id + 6 digits).
    """

    async def _read_params(self, request: web.Request) -> JSONDict:
        params = await super()._read_params(request)
        query_id = str(params.get("callback_query_id", ""))
        if request.match_info["method"].lower() == "answercallbackquery" and len(query_id) > 6:
            params["chat_id"] = int(query_id[:-6])
        return params


def assert_no_traceback(log: list[str]) -> None:
    """No traceback in the bot's log but PTB's own for a 502 page that is not JSON.

    (PTB logs "Can not load invalid JSON data" with the exception, then raises NetworkError,
    which the bot retries; the page itself is replaced by "<…>" by the bot's log filter.)
    """
    tracebacks = sum("Traceback" in line for line in log)
    ptb_502 = sum("Can not load invalid JSON data" in line for line in log)
    assert tracebacks == ptb_502, "\n".join(log[-40:])
