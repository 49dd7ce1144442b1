"""Callback data of the alert buttons (a leaf module, so triage views can offer Subscribe)."""

from __future__ import annotations

from bot.callbacks import Callback, register


@register
class SubscribeAlerts(Callback):
    """Subscribe the presser to scam alerts (offered at the end of triage)."""

    prefix = "ab"


@register
class SendAlert(Callback):
    """Start broadcasting a previewed alert."""

    prefix = "bs"
    id: int


@register
class DiscardAlert(Callback):
    """Drop a previewed alert without sending it."""

    prefix = "bc"
    id: int


@register
class StopAlert(Callback):
    """Stop a running broadcast; recipients not yet reached get nothing."""

    prefix = "bx"
    id: int


ALERT_BUTTONS = r"^(ab|bs|bc|bx)(:|$)"
