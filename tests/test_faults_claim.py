"""Telegram faults in the claim flow, with the bot as its own process against the fake Bot API.

Four users, one per fault kind (500, 502 HTML page, timeout after delivery, connection reset),
go through the triage, then /evidence, a transaction typed field by field and /report, all at
once in one bot process. At every step one fault is injected on the screen that follows; the
user must get it (at most twice after a timeout, when Telegram may have carried out the first
try), and the stored transaction and the case must be intact.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes.botapi import Call
from tests.faults_kit import FAULTS, LATE, AnswerFaults, assert_no_traceback
from tests.proc import run_bot
from tests.test_e2e_triage import User, edited, says, says_ending, says_starting
from tests.test_evidence_e2e import FileBotApi

pytestmark = pytest.mark.slow

ORDER = "298765432101"


class Api(AnswerFaults, FileBotApi):
    """Files served, and faults on button answers too."""


def count(api: Api, chat: int, match: Callable[[Call], bool], since: int) -> int:
    """How many confirmed calls after ``since`` match."""
    return sum(1 for c in api.calls[since:] if c.chat_id == chat and match(c))


async def triage(users: dict[str, User]) -> dict[str, int]:
    """Walk each user to the plan, one after the other (no faults); return their case ids."""
    cases: dict[str, int] = {}
    for n, (kind, u) in enumerate(users.items(), start=1):
        c = u.id
        await u.send("/start", says_starting(c, u.t("welcome")[:10]))
        await u.press("btn-consent-yes", says(c, u.t("triage-symptoms-prompt")))
        await u.press("symptom-baitiao", edited(c))
        await u.press("btn-done", lambda call: call.method == "sendMessage")
        await u.press("btn-proceed", says(c, u.t("q-noticed")))
        await u.press("q-noticed-today", says(c, u.t("q-amount")))
        await u.send("1299.5", says(c, u.t("q-cause")))
        await u.press("q-cause-none", says(c, u.t("q-police")))
        await u.press("q-police-not-yet", says_ending(c, u.t("plan-footer", case=n)))
        cases[kind] = n
    return cases


def check_stored(db: Path, users: dict[str, User], cases: dict[str, int], api: Api) -> None:
    """One transaction per case as typed, no entry left half-typed, the case intact, and
    nobody told that something failed."""
    conn = sqlite3.connect(db)
    try:
        for kind, u in users.items():
            case = cases[kind]
            rows = conn.execute("SELECT order_no, at, amount, channel FROM evidence_transactions"
                                " WHERE case_id=?", (case,)).fetchall()
            assert rows == [(ORDER, "2026-11-20 14:32", "1299.50", "baitiao")], (kind, rows)
            draft = conn.execute("SELECT draft_kind FROM evidence_state WHERE user_id=?",
                                 (u.id,)).fetchone()
            assert draft is None or draft[0] is None, kind
            status, verdict = conn.execute("SELECT status, verdict FROM cases WHERE id=?",
                                           (case,)).fetchone()
            assert verdict is not None and status != "triage", kind
            texts = [str(c.params.get("text")) for c in api.sent(u.id)
                     if c.method == "sendMessage"]
            assert u.t("delivery-failed") not in texts, kind
            assert u.t("error-generic") not in texts, kind
            toasts = [str(c.params.get("text")) for c in api.calls_of("answerCallbackQuery")
                      if c.chat_id == u.id]
            assert u.t("error-generic") not in toasts, kind
    finally:
        conn.close()


async def claim_flow(api: Api, u: User, case: int, kind: str) -> list[str]:
    """Walk the claim flow with one fault before every step; return the steps faulted."""
    c = u.id
    most = 2 if kind == "timeout" else 1
    faulted: list[str] = []

    async def step(name: str, do: Callable[[], object], expect: Callable[[Call], bool],
                   method: str = "sendMessage") -> None:
        api.set_error(c, kind, times=1, method=method, delay=LATE)  # type: ignore[arg-type]
        since = len(api.calls)
        do()
        await api.wait_for(expect, 30, since=since)
        faulted.append(name)
        hit = await api.wait_for(lambda x: x.chat_id == c and x.fault is not None, 30,
                                 since=since)
        if kind == "timeout":
            # The bot cannot know the timed-out request was carried out: it tries again (the
            # step is over only then, so the next fault is not taken by this retry).
            after = next(i for i, x in enumerate(api.calls) if x is hit) + 1
            await api.wait_for(lambda x: x.chat_id == c and x.method == method, 30,
                               since=after)
        shown = count(api, c, expect, since)
        assert 1 <= shown <= most, (kind, name, shown)

    def press(key: str) -> Callable[[], object]:
        return lambda: api.user_presses_button(c, u.t(key), language_code=u.lang)

    def say(text: str) -> Callable[[], object]:
        return lambda: api.user_sends_text(c, text, language_code=u.lang)

    await step("/evidence", say("/evidence"), says_starting(c, u.t("ev-menu-title", case=case)[:6]))
    await step("transactions", press("ev-btn-transactions"), edited(c), "editMessageText")
    await step("add a transaction", press("ev-btn-add-tx"), says_starting(c, u.t("ev-ask-order")))
    await step("order number", say(ORDER), says_starting(c, u.t("ev-ask-at")))
    await step("time", say("2026-11-20 14:32"), says_starting(c, u.t("ev-ask-amount")))
    await step("amount", say("1299.50"), says_starting(c, u.t("ev-ask-channel")))
    await step("channel", press("ev-channel-baitiao"), says_starting(c, u.t("ev-tx-review")))
    await step("save", press("ev-btn-save"),
               says_starting(c, u.t("ev-tx-title", case=case)[:4]))
    await step("back to the menu", press("ev-btn-back"), edited(c), "editMessageText")
    await step("/report (statement)", say("/report"),
               says_starting(c, "<b>" + u.t("ev-report-statement")[:4]))
    await api.wait_for(lambda x: x.method == "sendDocument" and x.ok and x.chat_id == c, 60)
    await step("/report (PDF)", say("/report"),
               lambda x: x.method == "sendDocument" and x.ok and x.chat_id == c, "sendDocument")
    return faulted


async def test_faults_at_every_claim_step_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    async with Api() as api:
        bot = run_bot(db, api.base_url, extra={"BOT_API_FILE_URL": api.base_file_url})
        await bot.start()
        try:
            users = {kind: User(api, 8100 + i, "en") for i, kind in enumerate(FAULTS)}
            cases = await triage(users)
            done = await asyncio.gather(*(claim_flow(api, u, cases[kind], kind)
                                          for kind, u in users.items()))
        finally:
            assert await bot.terminate() == 0

    check_stored(db, users, cases, api)
    tried = {k: api.stats[f"fault:{k}"] for k in FAULTS}
    assert all(n == len(done[0]) for n in tried.values()), tried
    assert not api.server_errors
    assert_no_traceback(bot.log)
    print(f"\nclaim-flow faults survived: {sum(tried.values())} of {sum(tried.values())} "
          f"({', '.join(f'{k}={n}' for k, n in tried.items())}; steps: {', '.join(done[0])})")



async def test_faults_on_claim_button_answers_lose_nothing(tmp_path: Path) -> None:
    """The answer to a claim-pack button (its toast) fails: the screen that follows still
    arrives, once, and the transaction is stored."""
    db = tmp_path / "bot.sqlite3"
    async with Api() as api:
        bot = run_bot(db, api.base_url, extra={"BOT_API_FILE_URL": api.base_file_url})
        await bot.start()
        try:
            users = {kind: User(api, 8200 + i, "en") for i, kind in enumerate(FAULTS)}
            cases = await triage(users)

            async def flow(kind: str, u: User) -> list[str]:
                c, case = u.id, cases[kind]
                faulted: list[str] = []

                async def press(name: str, key: str, expect: Callable[[Call], bool]) -> None:
                    api.set_error(c, kind, times=1, method="answerCallbackQuery",  # type: ignore[arg-type]
                                  delay=LATE)
                    since = len(api.calls)
                    await u.press(key, expect)
                    await api.wait_for(lambda x: x.chat_id == c and x.fault is not None,
                                       30, since=since)
                    faulted.append(name)
                    assert count(api, c, expect, since) == 1, (kind, name)

                await u.send("/evidence", says_starting(c, u.t("ev-menu-title", case=case)[:6]))
                await press("transactions", "ev-btn-transactions", edited(c))
                await press("add a transaction", "ev-btn-add-tx",
                            says_starting(c, u.t("ev-ask-order")))
                await u.send(ORDER, says_starting(c, u.t("ev-ask-at")))
                await u.send("2026-11-20 14:32", says_starting(c, u.t("ev-ask-amount")))
                await u.send("1299.50", says_starting(c, u.t("ev-ask-channel")))
                await press("channel", "ev-channel-baitiao",
                            says_starting(c, u.t("ev-tx-review")))
                await press("save", "ev-btn-save",
                            says_starting(c, u.t("ev-tx-title", case=case)[:4]))
                await press("back to the menu", "ev-btn-back", edited(c))
                return faulted

            done = await asyncio.gather(*(flow(kind, u) for kind, u in users.items()))
        finally:
            assert await bot.terminate() == 0
    check_stored(db, users, cases, api)
    tried = {k: api.stats[f"fault:{k}"] for k in FAULTS}
    assert all(n == len(done[0]) for n in tried.values()), tried
    assert_no_traceback(bot.log)
    print(f"\nclaim-button answer faults survived: {sum(tried.values())} of "
          f"{sum(tried.values())} ({', '.join(f'{k}={n}' for k, n in tried.items())})")
