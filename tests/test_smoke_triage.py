"""A first walk through the triage, offline, to prove the harness and the handlers work."""

from __future__ import annotations

from tests.conftest import Harness


async def test_full_triage_zh(harness: Harness) -> None:
    h = harness
    await h.send("/start")
    assert h.saw(1, "welcome")
    await h.press(h.t("btn-consent-yes"))
    await h.press(h.t("symptom-jintiao"))
    await h.press(h.t("btn-done"))
    assert h.saw(1, "emergency-call-110")
    await h.press(h.t("emergency-call-110-short"))
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-hour"))
    await h.send("1,299元")
    await h.press(h.t("q-cause-none"))
    await h.press(h.t("q-police-reported"))
    assert h.saw(1, "verdict-covered")
    case = await h.svc.store.get_case(1)
    assert case is not None and case.verdict == "covered"
    assert str(case.amount) == "1299.00"
    assert case.emergency_done == ["call_110"]
