"""Reminder wording that follows the case, through the real Application (issue 12, item 8).

The police/claim reminder knows the police were told; an answered reminder shows its answer's
own icon once; "the next reminders come as planned" only when some are waiting; the escalation
says each channel's facts once.
"""

from __future__ import annotations

import re

from bot.followups.service import ACTION_KEYS
from bot.followups.store import State
from tests.conftest import Harness, _plain
from tests.test_followups import DAY, HOUR, at, count, fu, pending


async def planned(h: Harness, police: str = "q-police-reported") -> Harness:
    """Walk a 金条 case (money moving) to its plan with the given police answer."""
    h.t0 = h.clock.now  # type: ignore[attr-defined]
    await h.send("/start")
    await h.press(h.t("btn-consent-yes"))
    await h.press(h.t("symptom-jintiao"))
    await h.press(h.t("btn-done"))
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-hour"))
    await h.send("1,299元")
    await h.press(h.t("q-cause-none"))
    await h.press(h.t(police))
    return h


def last_sent(h: Harness) -> str:
    return _plain(h.api.sent(1)[-1].params["text"])


async def test_police_reminder_knows_the_police_were_told(harness: Harness) -> None:
    h = await planned(harness, "q-police-reported")
    await at(h, DAY)
    assert count(h, 1, "fu-report-claim", case=1, police="reported") == 1
    text = last_sent(h)
    assert "报警和赔付申请" not in text and "先去派出所报案" not in text
    assert "你已经报了警" in text


async def test_police_reminder_asks_for_the_report_when_not_told(harness: Harness) -> None:
    h = await planned(harness, "q-police-not-yet")
    await at(h, DAY)
    assert count(h, 1, "fu-report-claim", case=1, police="not_yet") == 1
    text = last_sent(h)
    assert "先去派出所报案" in text and "你已经报了警" not in text


def test_police_variants_in_english() -> None:
    from bot.i18n import Translator

    t = Translator()
    told = _plain(t("en", "fu-report-claim", case=1, police="reported"))
    not_told = _plain(t("en", "fu-report-claim", case=1, police="not_yet"))
    assert "report it at a police station first" in not_told
    assert "police station first" not in told and "You have reported it" in told


async def test_an_answered_reminder_shows_one_icon(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, 4 * HOUR)
    await h.press(h.t("fu-btn-done"))
    text = h.last_text(1)
    label = h.t(ACTION_KEYS[fu(h).ladder.step("emergency").buttons[0]])  # type: ignore[union-attr]
    assert label.startswith("✅") and f"<b>{label}</b>" in text
    assert "✅ ✅" not in text and "✅ <b>✅" not in text
    # Every answer label starts with its own icon, so none gets a second one.
    for key in ACTION_KEYS.values():
        for locale in ("zh-CN", "en"):
            assert not re.match(r"\w", h.t(key, locale)), key


async def test_done_says_more_reminders_only_when_some_are_waiting(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, 4 * HOUR)
    assert [s for s, _ in await pending(h)] == ["report_claim", "last_check"]
    await h.press(h.t("fu-btn-done"))
    assert _plain(h.t("fu-next-done", more="yes")) in _plain(h.last_text(1))


async def test_done_on_the_last_reminder_promises_nothing_more(harness: Harness) -> None:
    h = await planned(harness)
    async with h.svc.db.transaction() as conn:
        await fu(h).store.cancel(conn, 1, ["report_claim", "last_check"])
    await at(h, 4 * HOUR)
    assert await pending(h) == []
    await h.press(h.t("fu-btn-done"))
    text = _plain(h.last_text(1))
    assert _plain(h.t("fu-next-done", more="no")) in text
    assert "后面的提醒照常进行" not in text
    assert "照常进行" in h.t("fu-next-done", more="yes")
    assert (await fu(h).store.of_case(1, [State.PENDING])) == []


async def test_escalation_says_each_channel_fact_once(harness: Harness) -> None:
    h = await planned(harness)
    await at(h, DAY)
    await h.press(h.t("fu-btn-claim-submitted"))
    await at(h, 6 * DAY)
    await h.press(h.t("fu-btn-refused"))
    await at(h, 6 * DAY + HOUR)
    text = last_sent(h)
    assert _plain(h.t("fu-escalate-prepare")) in text
    assert text.count("7 个工作日") == 1
    assert text.count("先向机构本身投诉") == 1
    for locale in ("zh-CN", "en"):
        prepare = h.t("fu-escalate-prepare", locale)
        assert "12315" not in prepare and "12363" not in prepare


async def test_reminders_list_names_the_step_by_the_police_answer(harness: Harness) -> None:
    h = await planned(harness, "q-police-reported")
    await h.send("/reminders")
    text = _plain(h.last_text(1))
    assert h.t("fu-step-report-claim", police="reported") in text
    assert "报警" not in text
