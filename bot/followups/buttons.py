"""Callback data of the reminder buttons."""

from __future__ import annotations

from bot.callbacks import Callback, register
from bot.followups.schema import Action

PATTERN = r"^(fu|fp):"


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
