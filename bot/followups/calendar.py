"""Time arithmetic of the ladder: working days, quiet hours and the demo delay scale."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from bot.followups.schema import Delay

log = logging.getLogger(__name__)

Quiet = tuple[time, time] | None


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """Tell whether a day is a working day in mainland China (Mon-Fri where data is missing)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        # The package only knows the years the State Council has published.
        return day.weekday() < 5


def add_working_days(start: datetime, count: int) -> datetime:
    """Return the same local time ``count`` working days after ``start``."""
    day = start.date()
    left = count
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return datetime.combine(day, start.timetz())


def delay_end(anchor: float, delay: Delay, tz: ZoneInfo) -> float:
    """Return when a delay started at ``anchor`` ends on the real calendar."""
    if delay.hours:
        return anchor + delay.hours * 3600
    start = datetime.fromtimestamp(anchor, tz)
    if delay.days:
        end = datetime.combine(start.date() + timedelta(days=delay.days), start.timetz())
    else:
        end = add_working_days(start, delay.working_days)
    return end.timestamp()


def quiet_end(at: float, quiet: Quiet, tz: ZoneInfo) -> float | None:
    """Return when the quiet period containing ``at`` ends, or None outside quiet hours."""
    if quiet is None:
        return None
    start, end = quiet
    local = datetime.fromtimestamp(at, tz)
    now = local.time()
    inside = start <= now < end if start < end else (now >= start or now < end)
    if not inside:
        return None
    day = local.date() if now < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=tz).timestamp()


def due_time(anchor: float, delay: Delay, *, tz: ZoneInfo, scale: float, quiet: Quiet) -> float:
    """Return when a reminder falls due: the calendar delay, scaled, moved out of quiet hours.

    The delay is measured on the real calendar first (working days skip weekends and
    holidays), then its length is multiplied by ``scale``; quiet hours apply to the result.
    """
    due = anchor + (delay_end(anchor, delay, tz) - anchor) * scale
    return quiet_end(due, quiet, tz) or due
