"""Follow-ups: the reminder ladder, its working-day calendar, the sender and its buttons."""

from bot.followups.handlers import register

__all__ = ["register"]
