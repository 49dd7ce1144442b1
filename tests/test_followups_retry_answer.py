"""An answer to a reminder whose send timed out (a retry is waiting) counts, and stops the retry."""

from __future__ import annotations

from bot.followups.buttons import FollowupAnswer
from bot.followups.schema import Action
from bot.followups.store import State
from tests.conftest import Harness, both_dialects
from tests.test_followups import fu, planned, rows
from tests.test_triage import last_message_with_buttons

# The store-level and harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects


async def test_an_answer_to_the_first_copy_is_stored_and_the_retry_dropped(
        harness: Harness) -> None:
    h = await planned(harness)
    row = next(r for r in await rows(h, 1, State.PENDING) if r.step == "report_claim")
    # As after a send that timed out: claimed once, put back to wait for its retry.
    await h.svc.db.execute(
        "UPDATE followups SET attempts=1, error='TimedOut' WHERE id=?", (row.id,))
    message = last_message_with_buttons(h, 1)
    sent_before = len([c for c in h.api.calls if c.method == "sendMessage"])
    await h.press_data(FollowupAnswer(id=row.id, a=Action.CLAIM_SUBMITTED).pack(), message)
    assert h.alerts()[-1] == h.t("fu-saved")
    after = await fu(h).store.get(row.id)
    assert after is not None and after.state is State.SENT
    assert after.answer == Action.CLAIM_SUBMITTED.value
    # The retry does not go out once the user has answered.
    h.clock.advance(2 * 86400)
    await fu(h).scheduler.tick()
    again = [c for c in h.api.calls[sent_before:] if c.method == "sendMessage"
             and f"fu:{row.id}:" in str(c.params.get("reply_markup", ""))]
    assert again == []


async def test_an_answer_to_a_reminder_never_sent_is_still_stale(harness: Harness) -> None:
    h = await planned(harness)
    row = next(r for r in await rows(h, 1, State.PENDING) if r.step == "report_claim")
    message = last_message_with_buttons(h, 1)
    await h.press_data(FollowupAnswer(id=row.id, a=Action.CLAIM_SUBMITTED).pack(), message)
    assert h.alerts()[-1] == h.t("fu-stale")
    after = await fu(h).store.get(row.id)
    assert after is not None and after.state is State.PENDING and after.answer is None
