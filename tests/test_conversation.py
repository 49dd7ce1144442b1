"""A conversation that forgives, through the real Application: going back, changing answers,
confirming amounts, consent given late, managing cases, undoing "stop reminders"."""

from __future__ import annotations

import pytest
from telegram.ext import CallbackContext

from bot.followups.handlers import followups_of
from bot.followups.store import State
from bot.handlers import triage as triage_handlers
from bot.store.cases import CaseStatus
from tests.conftest import Harness, both_dialects
from tests.test_triage import (
    answer_all,
    case_of,
    consent,
    count,
    last_message_with_buttons,
    pick,
)

# Harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

LANGS = ["zh-CN", "en"]
DAY = 86400.0


def sent_texts(calls: list) -> list[str]:  # type: ignore[type-arg]
    return [str(c.params["text"]) for c in calls if c.method == "sendMessage"]


async def events(h: Harness, case: int = 1) -> list[tuple[str, dict[str, object]]]:
    return [(e.kind, e.data) for e in await h.svc.store.events(case)]


@pytest.mark.parametrize("lang", LANGS)
async def test_every_question_has_a_way_back(harness: Harness, lang: str) -> None:
    h = harness
    await consent(h, lang=lang)
    await pick(h, ["unknown_orders"], lang=lang)
    await h.press(h.t("btn-proceed", lang))
    # From the first question back to the emergency list, and on again.
    await h.press(h.t("btn-back", lang))
    assert (await case_of(h)).step == "emergency"
    assert h.last_text(1).startswith(h.t("triage-emergency-prompt", lang).split("\n")[0])
    await h.press(h.t("btn-proceed", lang))
    await h.press(h.t("q-noticed-week", lang))
    # Back from the amount to the first question: the earlier answer is shown.
    await h.press(h.t("btn-back", lang))
    assert (await case_of(h)).step == "noticed"
    assert h.t("current-answer", lang, answer=h.t("q-noticed-week", lang)) in h.last_text(1)
    await h.press(h.t("q-noticed-today", lang))
    case = await case_of(h)
    assert case.step == "amount" and case.answers["noticed"] == "today"
    assert ("changed", {"step": "noticed", "answer": "today"}) in await events(h)
    await h.send("300", lang=lang)
    await h.press(h.t("btn-back", lang))  # from the cause back to the amount
    assert (await case_of(h)).step == "amount"
    calls = await h.send("450", lang=lang)
    assert sent_texts(calls)[-1] == h.t("q-cause", lang), "goes on to the first open question"
    assert str((await case_of(h)).amount) == "450.00"
    # The symptoms screen has no way further back; a back button of an old screen is stale.
    await h.press(h.t("q-cause-none", lang))
    await h.press(h.t("btn-back", lang))
    assert (await case_of(h)).step == "cause"
    old_back = [m for m in h.api.messages[1].values()
                if '"bk:' in str(m.get("reply_markup")) or "bk:" in str(m.get("reply_markup"))]
    assert old_back  # the emergency list kept its buttons (it is a checklist)


@pytest.mark.parametrize("lang", LANGS)
async def test_changing_an_answer_after_the_plan_recomputes_it(harness: Harness,
                                                               lang: str) -> None:
    h = harness
    await consent(h, lang=lang)
    await pick(h, ["balance_card"], lang=lang)
    await answer_all(h, lang=lang)
    case = await case_of(h)
    assert case.verdict == "covered"
    fu = followups_of(h.svc)
    before = await fu.store.of_case(case.id, [State.PENDING])
    await h.press(h.t("btn-edit-answers", lang))
    assert h.saw(1, "edit-menu", lang, case=case.id)
    await h.press(h.t("q-cause-title", lang))
    assert h.t("current-answer", lang, answer=h.t("q-cause-none", lang)) in h.last_text(1)
    calls = await h.press(h.t("q-cause-code-shared", lang))
    texts = sent_texts(calls)
    # The plan comes again (police was answered), led by the stop step the answer added.
    assert any(t.startswith(h.t("emergency-added", lang)) for t in texts)
    assert any(t.startswith(h.t("verdict-intro", lang, case=case.id)) for t in texts)
    assert any(h.t("verdict-hard", lang) in t for t in texts)
    case = await case_of(h)
    assert case.verdict == "hard" and case.status is CaseStatus.PLANNED and case.step is None
    assert ("changed", {"step": "cause", "answer": "code_shared"}) in await events(h)
    # Reminders are not scheduled twice; /case names the change in its history.
    assert len(await fu.store.of_case(case.id, [State.PENDING])) == len(before)
    await h.send("/case", lang=lang)
    assert h.t("event-changed", lang, what=h.t("q-cause-title", lang)) in h.last_text(1)
    assert h.t("verdict-hard", lang) in h.last_text(1)


async def test_changing_what_was_seen_to_no_loss_drops_the_amount_question(
        harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await answer_all(h)
    await h.press(h.t("btn-edit-answers"))
    await h.press(h.t("triage-symptoms-title"))
    await h.press(h.t("symptom-unknown-orders"))  # clear it
    await h.press(h.t("symptom-unknown-login"))
    await h.press(h.t("btn-done"))
    case = await case_of(h)
    assert case.symptoms == ["unknown_login"]
    assert case.verdict == "no_loss" and case.step is None
    assert h.saw(1, "verdict-no-loss")
    # The changed symptoms bring their emergency list.
    assert h.saw(1, "emergency-lock-account-short") or h.saw(1, "emergency-lock-account")


async def test_the_amount_is_read_back_and_can_be_changed(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-today"))
    calls = await h.send("一千二")
    assert sent_texts(calls)[0] == h.t("amount-echo", amount="1,200")
    await h.press(h.t("btn-change-amount"))
    assert (await case_of(h)).step == "amount"
    await h.send("3千")
    case = await case_of(h)
    assert str(case.amount) == "3000.00" and case.step == "cause"
    assert ("changed", {"step": "amount", "answer": "3,000"}) in await events(h)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_number_shaped_like_a_code_is_confirmed_before_storing(harness: Harness,
                                                                       lang: str) -> None:
    h = harness
    await consent(h, lang=lang)
    await pick(h, ["balance_card"], lang=lang)
    await h.press(h.t("btn-proceed", lang))
    await h.press(h.t("q-noticed-today", lang))
    calls = await h.send("482913", lang=lang)
    assert sent_texts(calls) == [h.t("amount-code-confirm", lang, amount="482,913")]
    case = await case_of(h)
    assert case.amount is None and case.step == "amount", "nothing stored before the answer"
    await h.press(h.t("btn-amount-retype", lang))
    assert h.last_text(1).startswith(h.t("q-amount", lang).split("\n")[0])
    await h.send("482913", lang=lang)
    await h.press(h.t("btn-amount-yes", lang, amount="482,913"))
    case = await case_of(h)
    assert str(case.amount) == "482913.00" and case.step == "cause"


@pytest.mark.parametrize("lang", LANGS)
async def test_consent_given_after_the_emergency_steps_keeps_them(harness: Harness,
                                                                  lang: str) -> None:
    h = harness
    await h.send("/start", lang=lang)
    await h.press(h.t("btn-consent-no", lang))
    await h.press(h.t("symptom-jintiao", lang))
    await h.press(h.t("btn-done", lang))
    await h.press(h.t("emergency-call-110-short", lang))
    assert await count(h, "cases") == 0
    await h.press(h.t("btn-consent-keep", lang))
    case = await case_of(h)
    assert case.symptoms == ["jintiao"] and case.emergency_done == ["call_110"]
    assert case.step == "emergency"
    assert h.saw(1, "consent-thanks-kept", lang)
    await h.press(h.t("btn-proceed", lang))
    assert h.last_text(1) == h.t("q-noticed", lang)


async def test_close_and_delete_one_case(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["baitiao"])
    await answer_all(h)
    fu = followups_of(h.svc)
    assert await fu.store.of_case(1, [State.PENDING])
    await h.send("/new")
    await h.press(h.t("btn-new-case"))
    await pick(h, ["other"])
    await h.send("/cases")
    await h.press(h.t("btn-open-case", case=1))
    await h.press(h.t("btn-close-case"))
    case1 = await h.svc.store.get_case(1)
    assert case1 is not None and case1.status is CaseStatus.CLOSED
    assert not await fu.store.of_case(1, [State.PENDING]), "closing stops the reminders"
    assert h.saw(1, "case-closed", case=1)
    # Delete asks first; "keep" changes nothing.
    await h.send("/cases")
    await h.press(h.t("btn-open-case", case=2))
    await h.press(h.t("btn-delete-case"))
    await h.press(h.t("btn-keep-case"))
    assert await h.svc.store.get_case(2) is not None
    await h.press(h.t("btn-delete-case"))
    await h.press(h.t("btn-delete-case-yes", case=2))
    assert await h.svc.store.get_case(2) is None
    assert await count(h, "cases") == 1
    row = await h.svc.store.get_user(1)
    assert row is not None and row.current_case is None
    # A button of the deleted case now belongs to nothing.
    await h.press_data("ed:2:0", last_message_with_buttons(h, 1))
    assert h.alerts()[-1] == h.t("button-foreign")


async def test_claim_and_jd_answer_from_case_and_undoing_stop(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await answer_all(h)
    await h.send("/case")
    await h.press(h.t("fu-btn-claim-submitted"))
    case = await case_of(h)
    assert case.status is CaseStatus.CLAIM_SUBMITTED
    assert h.saw(1, "fu-next-claim-submitted")
    await h.send("/case")
    assert h.t("fu-btn-claim-submitted") not in h.buttons(1)[-8:]
    await h.press(h.t("fu-btn-refused"))
    assert ("jd_answered", {"outcome": "refused"}) in await events(h)
    assert h.saw(1, "shield-recovery")
    # Stop the reminders (as the reminder's button does), then undo it from /case.
    fu = followups_of(h.svc)
    h.clock.advance(2 * 3600)  # the escalation reminder falls due an hour after "refused"
    assert await fu.scheduler.tick() >= 1
    await h.press(h.t("fu-btn-stop"))
    assert not await fu.store.of_case(1, [State.PENDING])
    await h.send("/reminders")
    assert h.saw(1, "fu-list-stopped")
    await h.press(h.t("fu-btn-restart-case", case=1))
    assert await fu.store.of_case(1, [State.PENDING]), "reminders scheduled again"
    assert h.saw(1, "fu-next-restarted")
    await h.send("/case")
    assert h.t("fu-btn-restart") not in " ".join(h.buttons(1)[-8:])


async def test_abandoned_triage_cases_are_closed(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["other"])
    h.clock.advance(triage_handlers.ABANDONED_AFTER_DAYS * DAY - 60)
    await triage_handlers.close_abandoned_job(CallbackContext(h.app))
    assert (await case_of(h)).status is CaseStatus.TRIAGE
    h.clock.advance(120)
    await triage_handlers.close_abandoned_job(CallbackContext(h.app))
    assert (await case_of(h)).status is CaseStatus.CLOSED
    assert ("closed", {"reason": "abandoned"}) in await events(h)


async def test_replayed_toggles_and_ticks_set_rather_than_flip(harness: Harness) -> None:
    h = harness
    await consent(h)
    message, data = h.find_button(1, h.t("symptom-baitiao"))
    await h.press_data(data, message)
    await h.press_data(data, message)  # the same update again (a replay or a double press)
    assert (await case_of(h)).symptoms == ["baitiao"]
    await h.press(h.t("btn-done"))
    message, data = h.find_button(1, h.t("emergency-freeze-baitiao-short"))
    await h.press_data(data, message)
    await h.press_data(data, message)
    assert (await case_of(h)).emergency_done == ["freeze_baitiao"]


async def test_forged_buttons_cannot_skip_a_question(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-today"))
    await h.send("300")
    await h.press(h.t("q-cause-none"))
    police = h.svc.flow.step_index("police")
    message = last_message_with_buttons(h, 1)
    for forged in (f"go:1:{police}", f"ed:1:{police + 1}", f"bk:1:{police - 1}",
                   "ao:1:500", f"an:1:{police}:none"):
        await h.press_data(forged, message)
        assert h.alerts()[-1] == h.t("button-stale"), forged
    case = await case_of(h)
    assert case.step == "police" and case.verdict is None and str(case.amount) == "300.00"


async def test_inline_message_callbacks_are_answered_and_change_nothing(
        harness: Harness) -> None:
    h = harness
    await consent(h)
    for data in ("sy:1:0:1", "tk:1:e:0:1", "nc", "sd:1", "cs:1", "fu:1:done", "lg:en",
                 "pp:1:v", "zz"):
        before = len(h.api.calls)
        await h.app.process_update(h.updates.raw({"callback_query": {
            "id": "q1", "from": {"id": 1, "is_bot": False, "first_name": "U"},
            "chat_instance": "ci", "inline_message_id": "inl-1", "data": data}}))
        calls = h.api.calls[before:]
        assert [c.method for c in calls] == ["answerCallbackQuery"], data
        assert calls[0].params["text"] == h.t("button-stale"), data
    case = await case_of(h)
    assert case.symptoms == [] and await count(h, "cases") == 1
    row = await h.svc.store.get_user(1)
    assert row is not None and row.locale == "zh-CN"
