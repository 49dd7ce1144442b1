"""The claim pack: evidence uploads, transactions (typed or read from screenshots), the
contact log, and the documents /report builds from them."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the claim-pack handlers and hooks."""
    # Imported here: the checklist view imports bot.evidence.buttons, and the handlers import
    # the views.
    from bot.evidence.handlers import register as register_handlers

    register_handlers(app)
