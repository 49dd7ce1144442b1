"""Why run mode could not reach Telegram: one line for the operator and an exit code.

The first Bot API call of ``python -m bot run`` is ``getMe``. When it fails, the cause is one of
three things an operator can fix, each with its own exit code (documented in README.md):

* 3: the Bot API cannot be reached (network down, DNS, refused, timed out, a 5xx answer);
* 4: the Bot API rejected ``BOT_TOKEN`` (401, or 404 in the Bot API's own JSON);
* 5: ``BOT_API_BASE_URL`` answers but is not a Bot API (not JSON, or not the Bot API's shape).

Exit code 2 stays the settings and flow errors'. These lines are for the operator, not for users,
and never contain the token.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut

EXIT_SETTINGS = 2
EXIT_UNREACHABLE = 3
EXIT_TOKEN = 4
EXIT_NOT_BOT_API = 5


@dataclass(frozen=True)
class StartupError(Exception):
    """Run mode cannot start: ``message`` is the one line to print, ``code`` the exit code."""

    code: int
    message: str

    def __str__(self) -> str:
        return self.message


@contextmanager
def first_call() -> Iterator[None]:
    """Silence PTB's ERROR-with-traceback for a non-JSON answer while the first call runs: the
    one line from :func:`explain` says it instead."""
    logger = logging.getLogger("telegram.request.BaseRequest")
    disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = disabled


def _chain(exc: BaseException) -> list[BaseException]:
    """Return ``exc`` and its causes, outermost first (cycles cut)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _server(base_url: str) -> str:
    """Return ``scheme://host[:port]`` of the Bot API URL (paths may hold a token)."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else base_url


def explain(exc: BaseException, base_url: str, token: str = "") -> StartupError:
    """Turn the failure of the first Bot API call into one line and an exit code."""
    error = _explain(exc, _server(base_url))
    if token:
        return StartupError(error.code, error.message.replace(token, "<token>"))
    return error


def _explain(exc: BaseException, server: str) -> StartupError:
    chain = _chain(exc)
    if any(isinstance(e, socket.gaierror) for e in chain):
        host = urlsplit(server).hostname or server
        return StartupError(EXIT_UNREACHABLE, (
            f"error: network: cannot resolve {host} (DNS); check the network, or "
            "BOT_API_BASE_URL"))
    if any(isinstance(e, TimedOut | httpx.TimeoutException | TimeoutError) for e in chain):
        return StartupError(EXIT_UNREACHABLE, (
            f"error: network: {server} did not answer in time; check the network or a proxy, "
            "then start again"))
    transport = next((e for e in chain if isinstance(e, httpx.TransportError | OSError)), None)
    if transport is not None:
        reason = _innermost_text(chain)
        return StartupError(EXIT_UNREACHABLE, (
            f"error: network: cannot connect to {server} ({reason}); check the network, a "
            "proxy or BOT_API_BASE_URL"))
    not_json = _not_json(chain)
    if isinstance(exc, InvalidToken):
        # The outer InvalidToken's text quotes the token; the inner one has the server's words.
        inner = [e for e in chain if isinstance(e, InvalidToken)][-1]
        if not_json:
            return _not_bot_api(server, f"answered {_telegram_text(inner)} with a page that is "
                                "not Bot API JSON")
        said = _telegram_text(inner)
        return StartupError(EXIT_TOKEN, (
            f"error: setting BOT_TOKEN: the Bot API at {server} rejected the token ({said}); "
            "copy it again from @BotFather (or check BOT_API_BASE_URL)"))
    if isinstance(exc, NetworkError):
        if not_json:
            return _not_bot_api(server, f"answered {_telegram_text(exc)} with a page that is "
                                "not Bot API JSON")
        return StartupError(EXIT_UNREACHABLE, (
            f"error: network: the Bot API at {server} failed ({_telegram_text(exc)}); "
            "try again later"))
    if isinstance(exc, TelegramError):
        return _not_bot_api(server, f"gave an answer that is not Bot API JSON "
                                    f"({_telegram_text(exc)})")
    return _not_bot_api(server, f"gave an unexpected answer ({type(exc).__name__})")


def _not_bot_api(server: str, what: str) -> StartupError:
    return StartupError(EXIT_NOT_BOT_API, (
        f"error: setting BOT_API_BASE_URL: {server} {what}; is it a Bot API server "
        "(https://api.telegram.org/bot or a local telegram-bot-api)?"))


def _not_json(chain: list[BaseException]) -> bool:
    """Tell whether PTB failed to parse the server's answer as JSON somewhere in the chain."""
    return any(isinstance(e, TelegramError) and "Invalid server response" in e.message
               for e in chain)


def _telegram_text(exc: BaseException) -> str:
    text = exc.message if isinstance(exc, TelegramError) else str(exc)
    return text.split(". Parsing the server response", 1)[0][:120]


def _innermost_text(chain: list[BaseException]) -> str:
    for e in reversed(chain):
        text = str(e).strip()
        if text:
            return text[:120]
    return type(chain[-1]).__name__
