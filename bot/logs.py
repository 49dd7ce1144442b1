"""Logging set-up: the token masked, and no user text at any level.

The bot's own modules (``bot.*``) never log user text. Other libraries do at DEBUG: PTB logs
every update and every Bot API call with its parameters, and HTTP clients log URLs and bodies.
Their records keep the library's fixed message but lose their arguments: numbers stay, anything
else (updates, parameters, texts, URLs) becomes ``<…>``; a message without arguments is capped.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import IO

OWN_LOGGERS = ("bot", "__main__")
REDACTED = "<…>"
MAX_FOREIGN_MESSAGE = 200
# Chatty clients stay at WARNING even when LOG_LEVEL=DEBUG (their records are redacted anyway).
QUIET_LOGGERS = ("httpx", "httpcore", "aiohttp", "apscheduler", "hpack")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
        text = super().format(record)
        return text.replace(self.token, "<token>") if self.token else text


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
