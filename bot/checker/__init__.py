"""The message checker: forward a suspicious message, get a verdict with its red flags."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the checker's handlers and hooks."""
    # Imported here: the handlers import the triage views, which import feature buttons.
    from bot.checker.handlers import register as register_handlers

    register_handlers(app)
