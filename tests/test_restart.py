"""A crash (SIGKILL) in the middle of the triage loses nothing: the bot resumes at the same step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DIALECTS, database_url_for, read_store
from tests.fakes.botapi import FakeBotApi
from tests.proc import run_bot
from tests.test_e2e_triage import User, edited, says, says_starting

pytestmark = pytest.mark.slow


async def stored_case(db: Path, url: str | None) -> dict[str, Any]:
    """The user's case as stored."""
    (case,) = await read_store(url, db, "SELECT * FROM cases WHERE user_id=42")
    return case


@pytest.mark.parametrize("store", DIALECTS)
async def test_sigkill_after_an_acknowledged_answer(tmp_path: Path, store: str,
                                                    request: pytest.FixtureRequest) -> None:
    db = tmp_path / "bot.sqlite3"
    url = database_url_for(request, store)
    extra = {"DATABASE_URL": url} if url else None
    async with FakeBotApi() as api:
        u = User(api, 42, "zh-CN")
        bot = run_bot(db, api.base_url, extra=extra)
        await bot.start()
        await u.send("/start", says_starting(42, u.t("welcome")[:10]))
        await u.press("btn-consent-yes", says(42, u.t("triage-symptoms-prompt")))
        await u.press("symptom-baitiao", edited(42))
        await u.press("symptom-unknown-login", edited(42))
        await u.press("btn-done", says_starting(42, u.t("triage-emergency-prompt")))
        await u.press("emergency-freeze-baitiao-short", edited(42))
        await u.press("emergency-lock-account-short", edited(42))
        await u.press("btn-proceed", says(42, u.t("q-noticed")))
        # Kill the moment the answer is acknowledged (the question is edited to show it),
        # without waiting for the next question to go out.
        await u.press("q-noticed-today", lambda c: c.method == "editMessageText"
                      and c.chat_id == 42 and u.t("q-noticed-today") in str(c.params["text"]))
        await bot.kill9()

        case = await stored_case(db, url)
        assert case["step"] == "amount"
        assert case["symptoms"] == '["baitiao","unknown_login"]'
        assert case["emergency_done"] == '["freeze_baitiao","lock_account"]'
        assert case["answers"] == '{"noticed":"today"}'

        # Same database, new process: whatever it is sent again, it continues where it was.
        bot = run_bot(db, api.base_url, extra=extra)
        await bot.start()
        await u.send("/start", says(42, u.t("resume-offer", case=1,
                                            step=u.t("step-name-amount"))))
        await u.press("btn-resume", says(42, u.t("q-amount")))
        # A text answer is acknowledged by the next question; crash right after it.
        await u.send("¥2,000", says(42, u.t("q-cause")))
        await bot.kill9()
        case = await stored_case(db, url)
        assert case["step"] == "cause" and case["amount"] == "2000.00"

        bot = run_bot(db, api.base_url, extra=extra)
        await bot.start()
        try:
            await u.send("/start", says(42, u.t("resume-offer", case=1,
                                                step=u.t("step-name-choice"))))
            await u.press("btn-resume", says(42, u.t("q-cause")))
            await u.press("q-cause-none", says(42, u.t("q-police")))
            footer = u.t("plan-footer", case=1)
            await u.press("q-police-not-yet", lambda c: (
                c.method == "sendMessage" and c.ok and c.chat_id == 42
                and str(c.params.get("text", "")).endswith(footer)))
        finally:
            assert await bot.terminate() == 0
        case = await stored_case(db, url)
        assert case["status"] == "planned" and case["verdict"] == "claimable"
        assert case["emergency_done"] == '["freeze_baitiao","lock_account"]'
        assert case["answers"] == (
            '{"noticed":"today","_amount":"known","cause":"none","police":"not_yet"}'
        )
        events = await read_store(url, db, "SELECT kind FROM case_events ORDER BY id")
        kinds = [r["kind"] for r in events]
        # Nothing recorded twice even if a killed process's update was delivered again.
        assert kinds.count("answered") == 4 and kinds.count("symptoms") == 1
        assert kinds[-1] == "verdict"
        assert not api.server_errors
