"""How the sender posts one alert: through PTB, or a lean aiohttp client at high rates.

Measured on this machine against the fake Bot API (client CPU per sendMessage): PTB's
``Bot.send_message`` on httpx about 1,085 µs, raw httpx about 845 µs, aiohttp about 140 µs.
At 1,000 messages/s on one core only the last leaves room for everything else, so over HTTP the
sender posts with aiohttp and turns answers into the same PTB exceptions the rest handles.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

try:  # aiohttp is optional: without it the sender falls back to PTB (about 750/s at most)
    import aiohttp
except ImportError:  # pragma: no cover
    aiohttp = None  # type: ignore[assignment]


class Post(Protocol):
    """Send one HTML message; raise PTB's errors (RetryAfter, Forbidden, ChatMigrated...)."""

    async def send(self, chat_id: int, text: str) -> None:
        """Send ``text`` to ``chat_id``."""

    async def edit(self, chat_id: int, message_id: int, text: str, markup: Any) -> None:
        """Replace the text (and buttons) of a message."""

    async def close(self) -> None:
        """Release connections."""


class BotPost:
    """Post through a PTB Bot (in-process transports, tests, console)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, text: str) -> None:
        """Send ``text`` to ``chat_id``."""
        await self.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                    disable_web_page_preview=True)

    async def edit(self, chat_id: int, message_id: int, text: str, markup: Any) -> None:
        """Replace the text (and buttons) of a message."""
        await self.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                         parse_mode=ParseMode.HTML, reply_markup=markup)

    async def close(self) -> None:
        """The Bot belongs to someone else."""


def available() -> bool:
    """Tell whether the aiohttp client can be used."""
    return aiohttp is not None


def connect_timed_out(exc: BaseException | None) -> bool:
    """Tell whether aiohttp gave up before connecting (so nothing was sent)."""
    return aiohttp is not None and isinstance(exc, aiohttp.ConnectionTimeoutError)


class AiohttpPost:
    """Post form-encoded Bot API calls on a small aiohttp connection pool."""

    def __init__(self, base_url: str, token: str, *, connections: int,
                 read_timeout: float) -> None:
        assert aiohttp is not None
        self._base = f"{base_url}{token}/"
        timeout = aiohttp.ClientTimeout(total=None, connect=5.0, sock_read=read_timeout)
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections), timeout=timeout)

    async def send(self, chat_id: int, text: str) -> None:
        """Send ``text`` to ``chat_id``."""
        await self._call("sendMessage", {
            "chat_id": str(chat_id), "text": text, "parse_mode": "HTML",
            "link_preview_options": '{"is_disabled":true}',
        })

    async def edit(self, chat_id: int, message_id: int, text: str, markup: Any) -> None:
        """Replace the text (and buttons) of a message."""
        data = {"chat_id": str(chat_id), "message_id": str(message_id), "text": text,
                "parse_mode": "HTML"}
        if markup is not None:
            data["reply_markup"] = json.dumps(markup.to_dict(), ensure_ascii=False)
        await self._call("editMessageText", data)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._session.close()

    async def _call(self, method: str, data: dict[str, str]) -> None:
        assert aiohttp is not None
        try:
            async with self._session.post(self._base + method, data=data) as response:
                status = response.status
                body = await response.read()
        except aiohttp.ConnectionTimeoutError as exc:
            raise TimedOut("connect timeout") from exc
        except TimeoutError as exc:
            raise TimedOut("read timeout") from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc
        if status == 200:
            return
        raise error_for(status, body)


def error_for(status: int, body: bytes) -> TelegramError:
    """Turn a Bot API error answer into the exception PTB would raise."""
    try:
        payload = json.loads(body)
    except ValueError:
        payload = {}
    description = str(payload.get("description") or f"HTTP {status}")
    parameters = payload.get("parameters") or {}
    if parameters.get("migrate_to_chat_id"):
        return ChatMigrated(int(parameters["migrate_to_chat_id"]))
    if parameters.get("retry_after"):
        return RetryAfter(int(parameters["retry_after"]))
    if status == 403:
        return Forbidden(description)
    if status == 400:
        return BadRequest(description)
    if status in (401, 404):
        return TelegramError(description)
    return NetworkError(description)
