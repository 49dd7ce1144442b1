"""The bot as its own process: a whole ladder start over HTTP, and SIGKILL during a burst."""

from __future__ import annotations

import asyncio
import random
import re
import sqlite3
import time
from collections import Counter
from html import unescape
from pathlib import Path

import pytest

from bench.followups_data import populate
from bot.i18n import Translator
from bot.store import copy as store_copy
from tests.conftest import DIALECTS, check_reminders_once_or_reasked, read_store
from tests.fakes.botapi import Call, FakeBotApi
from tests.proc import run_bot

pytestmark = pytest.mark.slow

T = Translator()
NO_QUIET = {"QUIET_HOURS": ""}


def plain(text: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", text))


def shows(key: str, **variables: str | int) -> object:
    needle = plain(T("en", key, **variables)).splitlines()[0]
    return lambda c: (c.method == "sendMessage" and c.ok
                      and needle in plain(str(c.params.get("text", ""))))


async def act(api: FakeBotApi, action: object, until: object, timeout: float = 10.0) -> Call:
    since = len(api.calls)
    assert callable(action)
    action()
    return await api.wait_for(until, timeout, since=since)  # type: ignore[arg-type]


async def test_triage_then_reminders_arrive_and_a_button_moves_the_case(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    u = 42
    async with FakeBotApi() as api:
        # One hour becomes 0.18 s: the 4-hour reminder after 0.7 s, the next-day one after 4.3 s.
        bot = run_bot(db, api.base_url, {**NO_QUIET, "FOLLOWUP_DELAY_SCALE": "0.00005"})
        await bot.start()
        try:
            def press(key: str) -> object:
                return lambda: api.user_presses_button(u, T("en", key), language_code="en")

            def say(text: str) -> object:
                return lambda: api.user_sends_text(u, text, language_code="en")

            await act(api, say("/start"), shows("welcome"))
            await act(api, press("btn-consent-yes"), shows("triage-symptoms-prompt"))
            await act(api, press("symptom-jintiao"), "editMessageReplyMarkup")
            await act(api, press("btn-done"), shows("triage-emergency-prompt"))
            await act(api, press("btn-proceed"), shows("q-noticed"))
            await act(api, press("q-noticed-hour"), shows("q-amount"))
            await act(api, say("1299"), shows("q-cause"))
            await act(api, press("q-cause-none"), shows("q-police"))
            await act(api, press("q-police-reported"), shows("plan-footer", case=1))
            await api.wait_for(shows("fu-emergency", case=1), 5)
            await act(api, press("fu-btn-done"), "editMessageText")
            await api.wait_for(shows("fu-report-claim", case=1, police="reported"), 10)
            await act(api, press("fu-btn-claim-submitted"), "editMessageText")
        finally:
            assert await bot.terminate() == 0
    conn = sqlite3.connect(db)
    status, done = conn.execute("SELECT status, emergency_done FROM cases WHERE id=1").fetchone()
    kinds = [k for (k,) in conn.execute("SELECT kind FROM case_events WHERE case_id=1")]
    steps = {s for (s,) in conn.execute("SELECT step FROM followups WHERE state='pending'")}
    conn.close()
    assert status == "claim_submitted"
    assert "freeze_jintiao" in done
    assert {"emergency_done", "claim_submitted"} <= set(kinds)
    assert {"jd_answer_3", "jd_answer_7", "escalate"} <= steps


async def rows(db: Path, url: str | None, sql: str,
               params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Rows of the store as tuples."""
    return [tuple(r.values()) for r in await read_store(url, db, sql, params)]


@pytest.mark.parametrize("store_kind", DIALECTS)
async def test_sigkill_during_a_burst_never_sends_twice_and_loses_none(
        tmp_path: Path, store_kind: str, request: pytest.FixtureRequest) -> None:
    db = tmp_path / "bot.sqlite3"
    users = range(1000, 1150)
    now = time.time()
    populate(db, users, 1, lambda i, k: now - 60 + i * 0.001, now=now - 120)
    env = dict(NO_QUIET)
    url: str | None = None
    if store_kind == "postgresql":
        # The same reminders, moved into PostgreSQL with `python -m bot db copy`'s code.
        url = str(request.getfixturevalue("pg_empty_url"))
        await store_copy.copy(db, url, lambda line: None)
        env["DATABASE_URL"] = url
    rng = random.Random(7)
    kills = 0
    async with FakeBotApi(response_delay=0.005) as api:
        for _ in range(4):
            bot = run_bot(db, api.base_url, env)
            await bot.start()
            await asyncio.sleep(rng.uniform(0.3, 1.5))
            await bot.kill9()
            kills += 1
        bot = run_bot(db, api.base_url, env)
        await bot.start()
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                (left,), = await rows(db, url,
                                      "SELECT COUNT(*) FROM followups WHERE due_at < ? AND state "
                                      "IN ('pending','sending')", (now,))
                if left == 0:
                    break
                await asyncio.sleep(0.2)
        finally:
            assert await bot.terminate() == 0
        delivered = Counter(c.chat_id for c in api.calls
                            if c.method == "sendMessage" and c.ok and c.chat_id in users)
    first = {case: state for case, state in await rows(
        db, url, "SELECT case_id, state FROM followups WHERE id IN "
        "(SELECT MIN(id) FROM followups GROUP BY case_id)")}
    reasked = {case for (case,) in await rows(
        db, url, "SELECT case_id FROM followups WHERE state='pending' AND due_at > ?", (now,))}
    assert kills == 4
    # A reminder claimed when the process died is never resent, and asked again after the snooze.
    states = check_reminders_once_or_reasked(first, delivered, reasked)
    lost_at_crash = sum(1 for c, s in first.items() if s == "interrupted" and not delivered[c])
    print(f"\nSIGKILL x{kills}: sent={states['sent']} interrupted={states['interrupted']} "
          f"(of which not delivered, asked again tomorrow: {lost_at_crash}); duplicates=0")
