"""Restarts in-process: reminders due while the bot was down go out once; interrupted ones wait."""

from __future__ import annotations

from bot.followups.handlers import followups_of
from bot.followups.store import State
from bot.settings import Settings
from tests.conftest import FakeClock, both_dialects, start_harness, stop_harness
from tests.test_followups import DAY, HOUR, count, triage

# The store-level and harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects


async def test_reminders_due_while_down_are_sent_once_after_start(
        settings: Settings, clock: FakeClock) -> None:
    h = await start_harness(settings, clock)
    t0 = clock.now
    await triage(h)
    await stop_harness(h)

    clock.now = t0 + DAY + HOUR  # both the 4-hour and the next-day reminders fell due
    h = await start_harness(settings, clock)
    try:
        fu = followups_of(h.svc)
        await fu.scheduler.tick()
        await fu.scheduler.tick()
        assert count(h, 1, "fu-emergency", case=1) == 1
        assert count(h, 1, "fu-report-claim", case=1, police="reported") == 1
        states = sorted((r.step, r.state) for r in await fu.store.of_case(1))
        assert states == [("emergency", State.SENT), ("last_check", State.PENDING),
                          ("report_claim", State.SENT)]
    finally:
        await stop_harness(h)

    # Another restart sends nothing again.
    h = await start_harness(settings, clock)
    try:
        await followups_of(h.svc).scheduler.tick()
        assert count(h, 1, "fu-emergency", case=1) == 0
    finally:
        await stop_harness(h)


async def test_a_reminder_claimed_when_the_process_died_is_not_resent(
        settings: Settings, clock: FakeClock) -> None:
    h = await start_harness(settings, clock)
    t0 = clock.now
    await triage(h)
    async with h.svc.db.transaction() as conn:
        await conn.execute("UPDATE followups SET state='sending' WHERE step='emergency'")
    await stop_harness(h)

    clock.now = t0 + 5 * HOUR
    h = await start_harness(settings, clock)
    try:
        fu = followups_of(h.svc)
        await fu.scheduler.tick()
        assert count(h, 1, "fu-emergency", case=1) == 0
        rows = [(r.state, r.due_at) for r in await fu.store.of_case(1) if r.step == "emergency"]
        assert rows == [(State.INTERRUPTED, t0 + 4 * HOUR), (State.PENDING, clock.now + DAY)]
    finally:
        await stop_harness(h)
