"""The advice, the forgiving conversation and the checker, run as a process over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.botapi import FakeBotApi
from tests.proc import run_bot
from tests.test_e2e_triage import User, edited, says, says_starting

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_fraud_victim_changes_an_answer_and_checks_a_message(tmp_path: Path,
                                                                   lang: str) -> None:
    async with FakeBotApi() as api:
        bot = run_bot(tmp_path / "bot.sqlite3", api.base_url)
        await bot.start()
        try:
            u = User(api, 77, lang)
            c = u.id
            await u.send("/start", says_starting(c, u.t("welcome").split("\n")[0]))
            await u.press("btn-consent-yes", says(c, u.t("triage-symptoms-prompt")))
            await u.press("symptom-balance-card", edited(c))
            await u.press("btn-done", says_starting(c, u.t("emergency-urgent")))
            await u.press("btn-proceed", says(c, u.t("q-noticed")))
            await u.press("q-noticed-today", says(c, u.t("q-amount")))
            await u.send("五百", says(c, u.t("q-cause")))
            assert u.t("amount-echo", amount="500") in api.texts(c)
            # A caller talked the victim into moving money: the stop step comes at once.
            await u.press("q-cause-talked-into", says(c, u.t("q-police")))
            assert any(t.startswith(u.t("emergency-added")) for t in api.texts(c))
            await u.press("q-police-not-yet", lambda call: call.method == "sendMessage"
                          and call.chat_id == c
                          and u.t("plan-lead-police") in str(call.params.get("text", "")))
            texts = "\n".join(api.texts(c))
            assert u.t("verdict-hard") in texts and u.t("shield-recovery") in texts
            # Changing the answer recomputes the plan.
            await u.press("btn-edit-answers", says(c, u.t("edit-menu", case=1)))
            await u.press("q-cause-title", says_starting(c, u.t("q-cause")))
            await u.press("q-cause-none", lambda call: call.method == "sendMessage"
                          and call.chat_id == c
                          and u.t("verdict-covered") in str(call.params.get("text", "")))
            # A forwarded-style paste of a recovery scam gets the checker's strongest answer.
            await u.send("/check 我们是网警，能帮你追回被骗的钱，先交保证金",
                         says_starting(c, u.t("checker-verdict-scam")))
            assert not api.server_errors
        finally:
            assert await bot.terminate() == 0
