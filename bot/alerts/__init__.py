"""Scam alerts: subscribers, group switches, admin alerts and the resumable broadcast sender."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the alert handlers and the sender's start and stop hooks."""
    # Imported here: triage views import bot.alerts.buttons, and the handlers import the views.
    from bot.alerts.handlers import register as register_handlers

    register_handlers(app)
