"""Telegram faults on reminders, with the bot as its own process against the fake Bot API.

Each fault kind (500, 502 HTML page, timeout after delivery, connection reset) is injected on a
reminder's send, on the screen that follows the answer to a reminder button (the reminder
edited in place) and on the button's answer itself, each for its own user, all in one process.
The reminder and the screen that follows must arrive (at most twice after a timeout, when
Telegram may have carried out the first try), the reminder row ends ``sent`` with the answer
stored (README, "Crash semantics" and "Telegram errors"), and nothing is lost.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest

from bench.followups_data import populate
from bot.i18n import Translator
from tests.fakes.botapi import Call, FakeBotApi
from tests.faults_kit import FAULTS, LATE, AnswerFaults, assert_no_traceback
from tests.proc import run_bot

pytestmark = pytest.mark.slow

T = Translator()
# Where the fault is injected: the reminder itself, the screen after its button (an edit of
# the reminder), and the button's answer (the first call the press makes).
TARGETS = {"reminder": "sendMessage", "next screen": "editMessageText",
           "button answer": "answerCallbackQuery"}


def is_reminder(chat: int) -> object:
    return lambda c: (c.method == "sendMessage" and c.ok and c.chat_id == chat
                      and any(d.startswith("fu:") for _, d in FakeBotApi.buttons(c.result or {})))


async def settled(db: Path, now: float, timeout: float = 30.0) -> None:
    """Wait until no reminder due by now is still pending, being sent or waiting for a retry."""
    deadline = time.monotonic() + timeout
    while True:
        conn = sqlite3.connect(db)
        try:
            busy = conn.execute("SELECT COUNT(*) FROM followups WHERE due_at < ? AND "
                                "state IN ('pending','sending')", (now + 60,)).fetchone()[0]
        finally:
            conn.close()
        if busy == 0:
            return
        assert time.monotonic() < deadline, f"{busy} reminders still unsent"
        await asyncio.sleep(0.1)


async def test_faults_on_reminders_and_their_answers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    plan = [(kind, target) for target in TARGETS for kind in FAULTS]
    chats = {pair: 7000 + i for i, pair in enumerate(plan)}
    users = range(7000, 7000 + len(plan))
    now = time.time()
    # One planned case per user whose "police report / claim submitted?" reminder falls due
    # just after start-up; later steps are scaled down so the whole ladder runs in minutes.
    populate(db, users, 1, lambda i, k: now + 1.0, now=now - 60)
    async with AnswerFaults() as api:
        for (kind, target), chat in chats.items():
            if target == "reminder":
                api.set_error(chat, kind, times=1, method="sendMessage",  # type: ignore[arg-type]
                              delay=LATE)
        bot = run_bot(db, api.base_url, {"QUIET_HOURS": "", "FOLLOWUP_DELAY_SCALE": "0.001"})
        await bot.start()
        try:
            # Every reminder arrives, the faulted ones after the sender's retry (5 s later).
            for chat in chats.values():
                await api.wait_for(is_reminder(chat), 30)  # type: ignore[arg-type]
            # The user answers the copy the bot knows of: once its row is `sent` (a press on
            # the first copy of a timed-out send while its retry is pending is answered "no
            # longer applies", and the retry brings the reminder again).
            await settled(db, now)
            reminders: dict[int, Call] = {
                chat: [c for c in api.calls if is_reminder(chat)(c)][-1]  # type: ignore[operator]
                for chat in chats.values()}

            async def answer(kind: str, target: str, chat: int) -> Call:
                api.set_error(chat, kind, times=1, method=TARGETS[target],  # type: ignore[arg-type]
                              delay=LATE)
                since = len(api.calls)
                api.user_presses_button(chat, T("en", "fu-btn-claim-submitted"),
                                        message_id=reminders[chat].result["message_id"],
                                        language_code="en")
                return await api.wait_for(
                    lambda c: c.method == "editMessageText" and c.ok and c.chat_id == chat,
                    30, since=since)

            edits = await asyncio.gather(*(answer(kind, target, chat)
                                           for (kind, target), chat in chats.items()))
            await settled(db, now)
        finally:
            assert await bot.terminate() == 0

    conn = sqlite3.connect(db)
    try:
        for (kind, target), chat in chats.items():
            where = f"{kind} on the {target}"
            most = 2 if kind == "timeout" else 1
            delivered = [c for c in api.calls if is_reminder(chat)(c)]  # type: ignore[operator]
            assert 1 <= len(delivered) <= (most if target == "reminder" else 1), where
            state, message_id, answer_, attempts = conn.execute(
                "SELECT state, message_id, answer, attempts FROM followups WHERE case_id=? "
                "ORDER BY id LIMIT 1", (chat,)).fetchone()
            assert state == "sent", where
            # The row points at the message the user pressed (the last one delivered).
            assert message_id == delivered[-1].result["message_id"], where
            assert answer_ == "claim_submitted", where
            assert attempts == (2 if target == "reminder" else 1), where
            status = conn.execute("SELECT status FROM cases WHERE id=?", (chat,)).fetchone()[0]
            assert status == "claim_submitted", where
            events = conn.execute("SELECT COUNT(*) FROM case_events WHERE case_id=? AND "
                                  "kind='claim_submitted'", (chat,)).fetchone()[0]
            assert events == 1, where
            # The claim schedules the next rungs of the ladder: nothing lost there either.
            steps = {s for (s,) in conn.execute(
                "SELECT step FROM followups WHERE case_id=? AND state='pending'", (chat,))}
            assert {"jd_answer_3", "jd_answer_7", "escalate"} <= steps, where
            shown = [c for c in api.calls if c.method == "editMessageText" and c.ok
                     and c.chat_id == chat]
            assert 1 <= len(shown) <= most, where
            # Failure lines: nobody was told to come back, nothing was reported as an error.
            texts = [str(c.params.get("text")) for c in api.sent(chat)
                     if c.method == "sendMessage"]
            assert T("en", "delivery-failed") not in texts, where
        assert all(e.ok for e in edits)
    finally:
        conn.close()
    tried = sum(api.stats[f"fault:{k}"] for k in FAULTS)
    assert tried == len(plan), api.stats
    assert not api.server_errors
    assert_no_traceback(bot.log)
    per_kind = ", ".join(f"{k}={api.stats['fault:' + k]}" for k in FAULTS)
    print(f"\nreminder faults survived: {len(plan)} of {tried} ({per_kind})")
