"""Logging set-up: the token masked, and no user text at any level.

Tracebacks keep their frames, but an exception's message is shown only for Telegram, SQLite
and OS errors: others may quote the input that failed (a validation error does).

The bot's own modules (``bot.*``) never log user text. Other libraries do at DEBUG: PTB logs
every update and every Bot API call with its parameters, and HTTP clients log URLs and bodies.
Their records keep the library's fixed message but lose their arguments: numbers stay, anything
else (updates, parameters, texts, URLs) becomes ``<…>``; a message without arguments is capped.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from collections.abc import Mapping
from types import TracebackType
from typing import IO

from telegram.error import TelegramError

OWN_LOGGERS = ("bot", "__main__")
REDACTED = "<…>"
MAX_FOREIGN_MESSAGE = 200
# Chatty clients stay at WARNING even when LOG_LEVEL=DEBUG (their records are redacted anyway).
QUIET_LOGGERS = ("httpx", "httpcore", "aiohttp", "apscheduler", "hpack")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Exceptions whose message comes from Telegram, SQLite or the OS, never from what a user typed.
# Any other exception's message (a validation error quotes its input) is withheld in the log.
SAFE_ERRORS: tuple[type[BaseException], ...] = (TelegramError, sqlite3.Error, OSError)
WITHHELD = "<message withheld>"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def describe(error: BaseException | None) -> str:
    """Name an exception for the log: its message only when it cannot carry user text."""
    if error is None:
        return "None"
    name = type(error).__name__
    if isinstance(error, SAFE_ERRORS):
        return f"{name}: {error}"
    return f"{name}: {WITHHELD}"


def format_exception(error: BaseException) -> str:
    """Format a traceback (with its causes) like the standard one, messages withheld."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for i, item in enumerate(reversed(chain)):
        if i:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        module = type(item).__module__
        prefix = "" if module == "builtins" else module + "."
        parts.append(prefix + describe(item) + "\n")
    return "".join(parts).rstrip("\n")


class _Redacted:
    """Stands in for a redacted argument in any %-format (%s, %r)."""

    def __str__(self) -> str:
        return REDACTED

    __repr__ = __str__


_REDACTED = _Redacted()


def _safe(value: object) -> object:
    if value is None or isinstance(value, bool | int | float):
        return value
    return _REDACTED


def _own(name: str) -> bool:
    return any(name == own or name.startswith(own + ".") for own in OWN_LOGGERS)


class UserTextFilter(logging.Filter):
    """Strip the arguments of other libraries' records (where user text would be)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drop it."""
        if _own(record.name):
            return True
        if not isinstance(record.msg, str):
            record.msg = REDACTED
        elif not record.args and len(record.msg) > MAX_FOREIGN_MESSAGE:
            record.msg = record.msg[:MAX_FOREIGN_MESSAGE] + "…"
        args = record.args
        if isinstance(args, Mapping):
            record.args = {key: _safe(value) for key, value in args.items()}
        elif args:
            record.args = tuple(_safe(value) for value in args)
        return True


class RedactingFormatter(logging.Formatter):
    """Format records with the bot token masked, tracebacks included (URLs carry the token)."""

    def __init__(self, fmt: str, token: str) -> None:
        super().__init__(fmt)
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        """Format, then mask the token wherever it appears."""
        # Another handler may have cached its own rendering of the traceback on the record.
        cached, record.exc_text = record.exc_text, None
        try:
            text = super().format(record)
        finally:
            record.exc_text = cached
        return text.replace(self.token, "<token>") if self.token else text

    def formatException(self, ei: ExcInfo | tuple[None, None, None]) -> str:
        """Format a traceback without the messages that may quote user input."""
        error = ei[1]
        return format_exception(error) if error is not None else ""


def configure_logging(level: str, token: str = "",
                      stream: IO[str] | None = None) -> logging.Handler:
    """Send the log to ``stream`` (stderr) through the token mask and the user-text filter.

    Returns the handler (tests remove it again). Replaces a handler this function installed
    before, and leaves other handlers alone.
    """
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(RedactingFormatter(FORMAT, token))
    handler.addFilter(UserTextFilter())
    handler.set_name("jd-recovery-bot")
    root = logging.getLogger()
    for old in list(root.handlers):
        if old.get_name() == handler.get_name():
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
