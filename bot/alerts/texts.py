"""Render alerts and broadcast status messages from the catalogue."""

from __future__ import annotations

import math
from html import escape

from telegram import InlineKeyboardMarkup

from bot.alerts.buttons import StopAlert
from bot.alerts.store import BroadcastRow, BroadcastState, Counts
from bot.handlers.views import kb
from bot.services import Services
from bot.settings import SUPPORTED_LOCALES

MAX_ALERT_CHARS = 4096

ALERT_FOOTER_KEYS = {False: "alert-footer-user", True: "alert-footer-group"}
BROADCAST_STATE_KEYS = {
    BroadcastState.RUNNING: "broadcast-state-running",
    BroadcastState.DONE: "broadcast-state-done",
    BroadcastState.CANCELLED: "broadcast-state-cancelled",
}
SUMMARY_KEYS = {
    BroadcastState.DONE: "alert-summary-done",
    BroadcastState.CANCELLED: "alert-summary-cancelled",
}


def alert_text(svc: Services, body: str, locale: str, is_group: bool) -> str:
    """Wrap the admin's text (escaped) in the localized header and footer."""
    # Joined here, not passed as a Fluent variable: Fluent cuts placeables at 1,000 characters.
    return "\n\n".join([svc.t(locale, "alert-header"), escape(body.strip()),
                         svc.t(locale, ALERT_FOOTER_KEYS[is_group])])


def longest_alert(svc: Services, body: str) -> int:
    """Return the length of the longest form of an alert any recipient would get."""
    return max(len(alert_text(svc, body, locale, is_group))
               for locale in SUPPORTED_LOCALES for is_group in (False, True))


def eta_text(svc: Services, locale: str, seconds: float) -> str:
    """Say how long is left, in seconds or minutes and seconds."""
    total = max(1, math.ceil(seconds))
    if total < 60:
        return svc.t(locale, "alert-eta-seconds", s=total)
    return svc.t(locale, "alert-eta-minutes", m=total // 60, s=total % 60)


def status_screen(svc: Services, row: BroadcastRow, counts: Counts,
                  eta: float | None) -> tuple[str, InlineKeyboardMarkup | None]:
    """Return the sender's status message: progress with a Stop button, or the summary."""
    locale = row.locale
    figures = {"id": row.id, "sent": counts.sent, "total": counts.total, "failed": counts.failed,
               "blocked": counts.blocked, "unknown": counts.unknown,
               "cancelled": counts.cancelled}
    if eta is None and row.state in SUMMARY_KEYS:
        return svc.t(locale, SUMMARY_KEYS[row.state], **figures), None
    text = svc.t(locale, "alert-progress", eta=eta_text(svc, locale, eta or 0.0), **figures)
    return text, kb([[(svc.t(locale, "btn-alert-stop"), StopAlert(id=row.id))]])
