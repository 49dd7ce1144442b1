"""The follow-up ladder on the real Application with an injected clock: order, buttons, errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.followups.handlers import followups_of
from bot.followups.service import Followups
from bot.followups.store import FollowupRow, State
from bot.store.cases import CaseStatus
from tests.conftest import Harness, _plain, both_dialects

# The store-level and harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

HOUR = 3600.0
DAY = 86400.0


async def triage(h: Harness, user: int = 1) -> None:
    """Walk a 金条 case (money moving) to its plan."""
    await h.send("/start", user)
    await h.press(h.t("btn-consent-yes"), user)
    await h.press(h.t("symptom-jintiao"), user)
    await h.press(h.t("btn-done"), user)
    await h.press(h.t("btn-proceed"), user)
    await h.press(h.t("q-noticed-hour"), user)
    await h.send("1,299元", user)
    await h.press(h.t("q-cause-none"), user)
    await h.press(h.t("q-police-reported"), user)


def fu(h: Harness) -> Followups:
    return followups_of(h.svc)


async def rows(h: Harness, case: int = 1, *states: State) -> list[FollowupRow]:
    return await fu(h).store.of_case(case, states)


async def pending(h: Harness, case: int = 1) -> list[tuple[str, float]]:
    return [(r.step, r.due_at) for r in await rows(h, case, State.PENDING)]


def count(h: Harness, chat: int, key: str, **variables: Any) -> int:
    needle = _plain(h.t(key, **variables))
    return sum(1 for c in h.api.calls if c.method == "sendMessage"
               and int(c.params["chat_id"]) == chat and needle in _plain(c.params["text"]))


async def at(h: Harness, seconds: float) -> int:
    """Move the clock to ``seconds`` after triage and run the sender."""
    h.clock.now = h.t0 + seconds  # type: ignore[attr-defined]
    return await fu(h).scheduler.tick()


async def planned(h: Harness, user: int = 1) -> Harness:
    h.t0 = h.clock.now  # type: ignore[attr-defined]
    await triage(h, user)
    return h


async def test_ladder_is_scheduled_in_order_when_the_plan_is_sent(harness: Harness) -> None:
    h = await planned(harness)
    got = await pending(h)
    assert [s for s, _ in got] == ["emergency", "report_claim", "last_check"]
    t0 = h.t0  # type: ignore[attr-defined]
    assert [due - t0 for _, due in got] == [4 * HOUR, DAY, 30 * DAY]
    # Nothing is due yet.
    assert await at(h, 3 * HOUR) == 0


async def test_emergency_reminder_lists_unticked_steps_and_done_ticks_them(
        harness: Harness) -> None:
    h = await planned(harness)
    assert await at(h, 4 * HOUR) == 1
    assert count(h, 1, "fu-emergency", case=1) == 1
    text = _plain(h.api.sent(1)[-1].params["text"])
    assert h.t("emergency-call-110-short") in text
    assert h.t("emergency-freeze-jintiao-short") in text
    await h.press(h.t("fu-btn-done"))
    case = await h.svc.store.get_case(1)
    assert case is not None and "freeze_jintiao" in case.emergency_done
    assert h.alerts()[-1] == h.t("fu-saved")
    # The same button again is stale: a clear answer, nothing changes.
    row = (await rows(h, 1, State.SENT))[0]
    message = h.api.messages[1][row.message_id or 0]
    await h.press_data(f"fu:{row.id}:done", message)
    assert h.alerts()[-1] == h.t("fu-stale")


async def test_emergency_reminder_is_skipped_when_everything_is_ticked(
        harness: Harness) -> None:
    h = await planned(harness)
    case = await h.svc.store.get_case(1)
    assert case is not None
    case.emergency_done = [it.id for it in fu(h).unticked(case)]
    await h.svc.store.save_case(case, h.clock.now)
    assert await at(h, 4 * HOUR) == 0
    assert [r.state for r in await rows(h) if r.step == "emergency"] == [State.SKIPPED]


async def test_not_yet_asks_again_tomorrow(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, DAY)
    assert count(h, 1, "fu-report-claim", case=1, police="reported") == 1
    await h.press(h.t("fu-btn-not-yet"))
    again = [due for step, due in await pending(h) if step == "report_claim"]
    assert again == [h.clock.now + DAY]
    await at(h, 2 * DAY)
    assert count(h, 1, "fu-report-claim", case=1, police="reported") == 2


async def test_claim_submitted_schedules_jd_checks_in_working_days(harness: Harness) -> None:
    h = await planned(harness)  # Tuesday 24 Nov 2026, 10:00
    await at(h, DAY)  # Wednesday
    await h.press(h.t("fu-btn-claim-submitted"))
    case = await h.svc.store.get_case(1)
    assert case is not None and case.status is CaseStatus.CLAIM_SUBMITTED
    got = dict(await pending(h))
    assert "report_claim" not in got
    now = h.clock.now
    # Wed + 3 working days = Mon (weekend skipped); + 7 = Fri 4 Dec; + 15 = Wed 16 Dec.
    assert got["jd_answer_3"] - now == 5 * DAY
    assert got["jd_answer_7"] - now == 9 * DAY
    assert got["escalate"] - now == 21 * DAY
    await h.send("/case")
    assert h.saw(1, "event-claim-submitted")


async def test_refusal_brings_the_escalation_forward(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, DAY)
    await h.press(h.t("fu-btn-claim-submitted"))
    await at(h, 6 * DAY)
    assert count(h, 1, "fu-jd-answer", case=1) == 1
    await h.press(h.t("fu-btn-refused"))
    got = dict(await pending(h))
    assert "jd_answer_7" not in got
    assert got["escalate"] == h.clock.now + HOUR
    await at(h, 6 * DAY + HOUR)
    text = _plain(h.api.sent(1)[-1].params["text"])
    assert _plain(h.t("fu-escalate", case=1)) in text
    for key in ("escalate-12315", "escalate-12363", "escalate-12378", "fu-escalate-prepare"):
        assert _plain(h.t(key)) in text, key
    assert _plain(h.t("escalate-court")) not in text
    await h.press(h.t("fu-btn-done"))
    case = await h.svc.store.get_case(1)
    assert case is not None and case.status is CaseStatus.ESCALATED
    await h.send("/case")
    assert h.saw(1, "event-jd-answered", outcome="refused")
    assert h.saw(1, "event-escalated")


async def test_paid_in_full_closes_the_case_and_stops_reminders(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, DAY)
    await h.press(h.t("fu-btn-claim-submitted"))
    await at(h, 6 * DAY)
    await h.press(h.t("fu-btn-paid-full"))
    case = await h.svc.store.get_case(1)
    assert case is not None and case.status is CaseStatus.CLOSED
    assert case.closed_at == h.clock.now
    assert await pending(h) == []
    assert await at(h, 40 * DAY) == 0
    await h.send("/case")
    assert h.saw(1, "event-jd-answered", outcome="paid_full")


async def test_paid_part_schedules_escalation(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, DAY)
    await h.press(h.t("fu-btn-claim-submitted"))
    await at(h, 6 * DAY)
    await h.press(h.t("fu-btn-paid-part"))
    got = dict(await pending(h))
    assert got["escalate"] == h.clock.now + HOUR and "jd_answer_7" not in got


async def test_stop_cancels_everything(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, 4 * HOUR)
    await h.press(h.t("fu-btn-stop"))
    assert await pending(h) == []
    assert await at(h, 31 * DAY) == 0
    await h.send("/case")
    assert h.saw(1, "event-reminders-stopped")


async def test_a_button_of_someone_else_changes_nothing(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, 4 * HOUR)
    row = (await rows(h, 1, State.SENT))[0]
    message = h.api.messages[1][row.message_id or 0]
    await h.send("/start", user=2)
    await h.press_data(f"fu:{row.id}:stop", message, user=2)
    assert h.alerts()[-1] == h.t("button-foreign")
    assert len(await pending(h)) == 2
    await h.press_data("fu:999:bogus", message, user=1)
    assert h.alerts()[-1] == h.t("button-stale")


async def test_quiet_hours_hold_a_reminder_until_morning(harness: Harness) -> None:
    h = await planned(harness)
    # Move the report reminder into the night, as if the bot had been down.
    async with h.svc.db.transaction() as conn:
        await conn.execute("UPDATE followups SET due_at=? WHERE step='report_claim'",
                           (h.t0 + 13 * HOUR,))  # type: ignore[attr-defined]
    await at(h, 13 * HOUR)  # 23:00
    assert count(h, 1, "fu-report-claim", case=1, police="reported") == 0
    await at(h, 22 * HOUR)  # 08:00
    assert count(h, 1, "fu-report-claim", case=1, police="reported") == 1


async def test_reminders_command_pauses_and_resumes(harness: Harness) -> None:
    h = await planned(harness)
    await h.send("/reminders")
    assert h.saw(1, "fu-list-case", case=1, status=h.t("status-planned"))
    assert h.saw(1, "fu-list-item", step=h.t("fu-step-report-claim", police="reported"),
                 date=h.svc.fmt_time(h.t0 + DAY))  # type: ignore[attr-defined]
    await h.press(h.t("fu-btn-pause", case=1))
    assert await pending(h) == []
    assert await at(h, 2 * DAY) == 0
    assert h.saw(1, "fu-list-paused")
    await h.press(h.t("fu-btn-resume", case=1))
    assert len(await pending(h)) == 3
    assert await at(h, 2 * DAY) == 2  # the overdue ones come once resumed


def failing(h: Harness, status: int, description: str,
            parameters: dict[str, Any] | None = None,
            exc: Callable[[], Exception] | None = None) -> list[int]:
    """Make sendMessage fail for chat 1; return a list counting the failures."""
    original = h.api.do_request
    failures: list[int] = []

    async def do_request(url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        params = request_data.parameters if request_data else {}
        if url.endswith("/sendMessage") and int(params.get("chat_id", 0)) == 1:
            failures.append(1)
            if exc is not None:
                raise exc()
            body = {"ok": False, "error_code": status, "description": description}
            if parameters:
                body["parameters"] = parameters
            return status, json.dumps(body).encode()
        return await original(url, method, request_data, *args, **kwargs)

    h.api.do_request = do_request  # type: ignore[method-assign]
    return failures


async def test_blocked_user_gets_paused_not_retried(harness: Harness) -> None:
    h = await planned(harness)
    failing(h, 403, "Forbidden: bot was blocked by the user")
    assert await at(h, 4 * HOUR) == 0
    states = {r.step: r.state for r in await rows(h)}
    assert set(states.values()) == {State.PAUSED}
    assert await fu(h).store.pause_reason(1) is not None
    assert await at(h, 40 * DAY) == 0


async def test_retry_after_reschedules(harness: Harness) -> None:
    h = await planned(harness)
    failures = failing(h, 429, "Too Many Requests: retry after 7", {"retry_after": 7})
    await at(h, 4 * HOUR)
    row = next(r for r in await rows(h) if r.step == "emergency")
    assert row.state is State.PENDING and row.due_at == h.clock.now + 7
    assert len(failures) == 1


async def test_network_errors_back_off_then_fail_loudly(harness: Harness, caplog: Any) -> None:
    from telegram.error import NetworkError

    h = await planned(harness)
    failures = failing(h, 0, "", exc=lambda: NetworkError("connection reset"))
    await at(h, 4 * HOUR)
    delays = []
    for _ in range(10):
        row = next(r for r in await rows(h) if r.step == "emergency")
        if row.state is not State.PENDING:
            break
        delays.append(row.due_at - h.clock.now)
        h.clock.now = row.due_at
        await fu(h).scheduler.tick()
    assert delays == [5, 10, 20, 40, 80]
    assert row.state is State.FAILED and "connection reset" in (row.error or "")
    assert len(failures) == 6
    assert any("not sent after 6 attempts" in r.getMessage() for r in caplog.records)


async def test_reminders_in_a_group_points_to_private(harness: Harness) -> None:
    """Like every private command, /reminders in a group says so instead of staying silent."""
    calls = await harness.send("/reminders", user=7, chat_id=-1001, chat_type="supergroup")
    assert [c.params["text"] for c in calls if c.method == "sendMessage"] == [
        harness.t("private-only")
    ]
