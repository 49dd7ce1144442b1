"""Advice a victim can act on safely, seen through the real Application in both languages."""

from __future__ import annotations

import pytest

from bot.handlers.views import Answer
from tests.conftest import Harness, both_dialects
from tests.test_triage import (
    answer_all,
    assert_sizes,
    case_of,
    consent,
    last_message_with_buttons,
    pick,
)

# Harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

LANGS = ["zh-CN", "en"]


async def whole_plan(h: Harness, lang: str) -> str:
    """Every text of the chat plus each part of the plan opened in place (as a reader would)."""
    seen = list(h.texts(1))
    for button in ("btn-show-evidence", "btn-show-claim", "btn-show-escalation"):
        label = h.t(button, lang)
        if any(label in b for b in h.buttons(1)):
            await h.press(label)
            seen.append(last_message_with_buttons(h, 1)["text"])
    return "\n".join(seen)


def shows(h: Harness, text: str, key: str, lang: str) -> bool:
    """Tell whether a message key's text is in ``text``."""
    return h.t(key, lang) in text


@pytest.mark.parametrize("lang", LANGS)
async def test_the_first_screen_says_what_cannot_wait_and_who_we_are_not(
        harness: Harness, lang: str) -> None:
    h = harness
    await h.send("/start", lang=lang)
    first = h.last_text(1)
    # Before consent: 110 and the bank first, and the bot is not JD, not police, never charges.
    assert first.startswith(h.t("welcome", lang).split("\n")[0])
    assert "110" in first.split("\n")[0]
    assert h.t("bot-identity", lang) in first


@pytest.mark.parametrize("lang", LANGS)
async def test_reading_out_a_code_brings_the_stop_step_and_the_police_route(
        harness: Harness, lang: str) -> None:
    h = harness
    await consent(h, lang=lang)
    await pick(h, ["balance_card"], lang=lang)
    assert not h.saw(1, "emergency-stop-scammer", lang), "nothing showed contact yet"
    await h.press(h.t("btn-proceed", lang))
    await h.press(h.t("q-noticed-today", lang))
    await h.send("800", lang=lang)
    calls = await h.press(h.t("q-cause-code-shared", lang))
    sent = [str(c.params["text"]) for c in calls if c.method == "sendMessage"]
    # The stop step arrives with the answer, before the next question.
    assert sent[0].startswith(h.t("emergency-added", lang))
    assert h.t("emergency-stop-scammer", lang) in sent[0]
    assert sent[-1] == h.t("q-police", lang)
    # ... and can be ticked from there.
    await h.press(h.t("emergency-stop-scammer-short", lang))
    assert "stop_scammer" in (await case_of(h)).emergency_done

    await h.press(h.t("q-police-not-yet", lang))
    case = await case_of(h)
    assert case.verdict == "hard"
    plan = await whole_plan(h, lang)
    for key in ("verdict-hard", "verdict-reason-code-shared", "verdict-disclaimer",
                "shield-recovery", "plan-lead-police", "route-police-first",
                "claim-intro-tell-jd", "escalate-intro-now", "escalate-110",
                "escalate-antifraud-app", "escalate-12321", "escalate-intro-later"):
        assert shows(h, plan, key, lang), key
    for key in ("verdict-covered", "claim-intro", "verdict-reason-police",
                "verdict-reason-prompt", "verdict-reason-balance"):
        assert not shows(h, plan, key, lang), key
    # The plan's emergency list has the stop step first.
    await h.press(h.t("btn-show-emergency", lang))
    rows = [m for m in h.api.messages[1].values()
            if h.t("emergency-stop-scammer-short", lang) in str(m.get("reply_markup"))]
    first = rows[-1]["reply_markup"]["inline_keyboard"][0][0]
    assert h.t("emergency-stop-scammer-short", lang) in first["text"]
    assert_sizes(h)


@pytest.mark.parametrize("lang", LANGS)
async def test_nothing_lost_yet_skips_the_amount_and_the_claim(harness: Harness,
                                                               lang: str) -> None:
    h = harness
    await consent(h, lang=lang)
    await pick(h, ["binding_changed", "unknown_login"], lang=lang)
    text = h.last_text(1)
    # A changed phone: freezing and the "cannot receive codes" route before the passwords.
    assert text.index(h.t("emergency-freeze-pay", lang)) < text.index(
        h.t("emergency-recover-phone-short", lang)) < text.index(
        h.t("emergency-change-passwords-short", lang))
    await h.press(h.t("btn-proceed", lang))
    await h.press(h.t("q-noticed-today", lang))
    assert h.last_text(1) == h.t("q-cause", lang), "no amount question when nothing is lost"
    await h.press(h.t("q-cause-none", lang))
    await h.press(h.t("q-police-not-yet", lang))
    case = await case_of(h)
    assert case.verdict == "no_loss" and case.amount is None
    for key in ("verdict-no-loss", "verdict-reason-no-loss", "plan-lead-secure",
                "verdict-disclaimer", "shield-recovery"):
        assert h.saw(1, key, lang), key
    for key in ("claim-intro", "claim-intro-tell-jd", "verdict-amount-unknown",
                "escalate-intro-later", "verdict-reason-police"):
        assert not h.saw(1, key, lang), key
    assert h.t("btn-show-claim", lang) not in h.buttons(1)


@pytest.mark.parametrize("lang", LANGS)
async def test_an_order_noticed_within_the_hour_gets_110_at_once(harness: Harness,
                                                                 lang: str) -> None:
    h = harness
    await consent(h, lang=lang)
    await pick(h, ["unknown_orders"], lang=lang)
    assert not h.saw(1, "emergency-call-110", lang)
    await h.press(h.t("btn-proceed", lang))
    calls = await h.press(h.t("q-noticed-hour", lang))
    sent = [str(c.params["text"]) for c in calls if c.method == "sendMessage"]
    assert h.t("emergency-call-110", lang) in sent[0]
    assert sent[-1] == h.t("q-amount", lang)


@pytest.mark.parametrize("lang", LANGS)
async def test_someone_i_know_says_what_it_means_and_where_to_go(harness: Harness,
                                                                 lang: str) -> None:
    h = harness
    await consent(h, lang=lang)
    await pick(h, ["baitiao"], lang=lang)
    await answer_all(h, lang=lang, cause="known-person", police="not_yet")
    assert (await case_of(h)).verdict == "excluded"
    for key in ("verdict-excluded", "verdict-reason-known-person", "route-known-person",
                "plan-lead-excluded", "shield-recovery"):
        assert h.saw(1, key, lang), key
    assert not h.saw(1, "verdict-reason-baitiao", lang)
    assert not h.saw(1, "emergency-stop-scammer", lang), "no fraudster to hang up on"


async def test_a_covered_case_still_says_how_to_check_a_caller(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await answer_all(h)
    assert (await case_of(h)).verdict == "covered"
    plan = await whole_plan(h, "zh-CN")
    for key in ("verdict-covered", "verdict-reason-orders", "claim-intro", "shield-caller",
                "shield-recovery", "verdict-disclaimer"):
        assert shows(h, plan, key, "zh-CN"), key
    assert not h.saw(1, "verdict-reason-balance"), "orders are not a charged card"


async def test_an_answer_button_from_before_the_options_changed_is_stale(
        harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-today"))
    await h.send("100")
    case = await case_of(h)
    cause_index = h.svc.flow.step_index("cause")
    # Old keyboards carried option positions: "an:<case>:<step>:0" must not pick an answer.
    old = f"an:{case.id}:{cause_index}:0"
    await h.press_data(old, last_message_with_buttons(h, 1))
    assert h.alerts()[-1] == h.t("button-stale")
    assert (await case_of(h)).step == "cause"
    # The current button names its option.
    assert Answer(case=case.id, step=cause_index, opt="code_shared").pack().endswith(
        ":code_shared")


async def test_old_cases_keep_working(harness: Harness) -> None:
    """A case stored before the new outcomes (verdict 'excluded' for screen sharing) opens."""
    h = harness
    await consent(h)
    await pick(h, ["balance_card"])
    case = await case_of(h)
    case.step = None
    case.verdict = "excluded"
    case.answers = {"noticed": "today", "_amount": "known", "cause": "remote",
                    "police": "reported"}
    await h.svc.store.save_case(case, h.clock())
    await h.send("/case")
    text = h.last_text(1)
    # Shown as it reads today: screen sharing is hard to establish, not certainly excluded.
    assert h.t("verdict-hard") in text and h.t("verdict-disclaimer") in text
