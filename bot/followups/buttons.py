"""Callback data of the reminder buttons."""

from __future__ import annotations

from typing import Literal

from bot.callbacks import Callback, register
from bot.followups.schema import Action

PATTERN = r"^(fu|fp|fr):"


@register
class FollowupAnswer(Callback):
    """Answer reminder ``id`` with ``a``."""

    prefix = "fu"
    id: int
    a: Action


@register
class FollowupPause(Callback):
    """Pause (or resume) the reminders of a case."""

    prefix = "fp"
    case: int
    pause: bool


@register
class FollowupRecord(Callback):
    """Record from /case (no reminder needed): the claim, JD's answer, or restart reminders."""

    prefix = "fr"
    case: int
    a: Literal["claim_submitted", "paid_full", "paid_part", "refused", "restart"]
