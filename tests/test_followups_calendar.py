"""Working days, quiet hours, the delay scale and the ladder file, without a bot."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.engine.loader import FlowError, load_flow
from bot.followups.calendar import add_working_days, due_time, is_workday, quiet_end
from bot.followups.schema import Delay, Ladder, check_ladder, load_ladder
from bot.i18n import LOCALES_DIR, Translator, parse_catalogue
from tests.conftest import TZ

QUIET = (time(22), time(8))


def at(*args: int) -> float:
    return datetime(*args, tzinfo=TZ).timestamp()


def local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, TZ)


def test_working_days_follow_the_national_day_holiday() -> None:
    # 1-7 October 2026 are holidays; Saturday 10 October is a make-up working day.
    start = datetime(2026, 9, 30, 10, 0, tzinfo=TZ)
    assert not is_workday(date(2026, 10, 5))
    assert is_workday(date(2026, 10, 10))
    assert add_working_days(start, 1).date() == date(2026, 10, 8)
    assert add_working_days(start, 3) == datetime(2026, 10, 10, 10, 0, tzinfo=TZ)


def test_working_days_across_a_year_without_holiday_data() -> None:
    # chinese_calendar has no 2027 data: weekends only, and no crash.
    start = datetime(2026, 12, 30, 15, 0, tzinfo=TZ)
    assert is_workday(date(2027, 1, 1))  # a Friday: counted, as the data is unknown
    assert not is_workday(date(2027, 1, 2))
    assert add_working_days(start, 3).date() == date(2027, 1, 4)
    assert add_working_days(start, 15).date() == date(2027, 1, 20)


def test_weekend_is_skipped() -> None:
    friday = datetime(2026, 11, 27, 9, 30, tzinfo=TZ)
    assert add_working_days(friday, 1) == datetime(2026, 11, 30, 9, 30, tzinfo=TZ)


def test_quiet_hours_wrap_midnight() -> None:
    assert quiet_end(at(2026, 11, 24, 23, 0), QUIET, TZ) == at(2026, 11, 25, 8, 0)
    assert quiet_end(at(2026, 11, 25, 7, 59), QUIET, TZ) == at(2026, 11, 25, 8, 0)
    assert quiet_end(at(2026, 11, 25, 8, 0), QUIET, TZ) is None
    assert quiet_end(at(2026, 11, 24, 21, 59), QUIET, TZ) is None
    assert quiet_end(at(2026, 11, 24, 23, 0), None, TZ) is None
    day = (time(1), time(5))
    assert quiet_end(at(2026, 11, 24, 3, 0), day, TZ) == at(2026, 11, 24, 5, 0)
    assert quiet_end(at(2026, 11, 24, 6, 0), day, TZ) is None


def test_due_time_moves_out_of_quiet_hours() -> None:
    evening = at(2026, 11, 24, 20, 0)
    due = due_time(evening, Delay(hours=4), tz=TZ, scale=1, quiet=QUIET)
    assert local(due) == datetime(2026, 11, 25, 8, 0, tzinfo=TZ)
    assert due_time(evening, Delay(hours=4), tz=TZ, scale=1, quiet=None) == evening + 4 * 3600


def test_scale_shrinks_the_calendar_delay() -> None:
    friday = at(2026, 11, 27, 10, 0)
    assert due_time(friday, Delay(hours=4), tz=TZ, scale=0.001, quiet=None) == pytest.approx(
        friday + 14.4)
    # One working day from Friday is Monday (72 h on the calendar) -> 259.2 s at 0.001.
    assert due_time(friday, Delay(working_days=1), tz=TZ, scale=0.001,
                    quiet=None) == pytest.approx(friday + 259.2)


def test_delay_needs_exactly_one_unit() -> None:
    with pytest.raises(ValidationError):
        Delay(hours=1, days=1)
    with pytest.raises(ValidationError):
        Delay()


def test_ladder_file_is_sound_and_in_both_languages() -> None:
    translator = Translator()
    flow = load_flow(translator=translator)
    ladder = load_ladder(flow, translator)
    assert [s.id for s in ladder.steps][:2] == ["emergency", "report_claim"]
    zh, _ = parse_catalogue(LOCALES_DIR / "zh-CN")
    en, _ = parse_catalogue(LOCALES_DIR / "en")
    for key, entry in zh.items():
        if entry.source == "followups.ftl":
            assert key in en, key
            assert en[key].variables == entry.variables, key


def test_bad_ladder_fails_with_every_problem(tmp_path: Path) -> None:
    flow = load_flow()
    raw = Ladder.model_validate({
        "version": 1, "snooze": {"days": 1},
        "steps": [
            {"id": "a", "title": "fu-step-emergency", "text": "nope-missing",
             "content": "escalation", "channels": ["c99999"],
             "schedule": [{"trigger": "planned", "after": {"hours": 1}}],
             "cancel_on": ["planned"], "buttons": ["done"]},
            {"id": "a", "title": "fu-step-emergency", "text": "fu-emergency",
             "schedule": [{"trigger": "planned", "after": {"hours": 1}}], "buttons": ["stop"]},
        ],
    })
    problems = check_ladder(raw, flow, Translator())
    text = "; ".join(problems)
    for needle in ("duplicate step id", "c99999", "cancelled by planned", "needs on_done",
                   "nope-missing"):
        assert needle in text
    bad = tmp_path / "followups.yaml"
    bad.write_text("version: 1\nsnooze: {days: 1}\nsteps: [{id: x, extra: 1}]\n")
    with pytest.raises(FlowError, match=r"followups\.yaml"):
        load_ladder(flow, path=bad)
