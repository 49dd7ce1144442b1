"""Delivery end to end over HTTP: Telegram faults at every triage step, replays, double presses.

The bot runs in this process with PTB's HTTP client polling ``FakeBotApi`` (short read timeout
and retry waits so that faults cost little time); see ``tests/delivery_kit.py``.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from bot.app import build_services
from bot.handlers.common import delivery
from bot.services import Services
from bot.store.cases import CaseStatus
from bot.updates import ChatOrderedProcessor
from tests.delivery_kit import Walker, http_settings, sent_to, start_http_bot
from tests.fakes.botapi import FakeBotApi
from tests.proc import run_bot

pytestmark = pytest.mark.slow

FAULTS = ["server_error", "bad_gateway", "timeout", "disconnect"]


async def nothing_owed(svc: Services, timeout: float = 5.0) -> None:
    """Wait until no screen is owed (the last one is settled just after Telegram confirms)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while await delivery(svc).store.owed():
        assert asyncio.get_running_loop().time() < deadline, "a screen stayed owed"
        await asyncio.sleep(0.02)


def screen_counts(api: FakeBotApi, chat: int) -> Counter[str]:
    """How many times each text was sent (confirmed) to a chat."""
    return Counter(str(c.params.get("text")) for c in api.sent(chat) if c.method == "sendMessage")


@pytest.mark.parametrize("target", ["next screen", "first call"])
@pytest.mark.parametrize("kind", FAULTS)
async def test_a_fault_at_every_step_loses_nothing(tmp_path: Path, kind: str,
                                                   target: str) -> None:
    """Before every action one request fails; every next screen still arrives, and no more
    than once (twice after a timeout, when Telegram may have delivered the first try)."""
    async with FakeBotApi() as api:
        # A timeout is injected as an answer 2 s late, so the bot's 0.4 s read timeout fires
        # after the fake has carried the request out ("timeout after delivery").
        bot = await start_http_bot(api, tmp_path / "bot.sqlite3", read_timeout=0.4,
                                   rate_limit=False)
        chat = 4242
        walker = bot.walker(chat)
        injected: list[str] = []

        def inject(name: str, advances: bool) -> None:
            # "next screen": the sendMessage that follows the step; "first call": whatever
            # the bot calls first (the button's answer, or the reply to typed text).
            method = "sendMessage" if target == "next screen" else None
            if method == "sendMessage" and not advances and name != "start":
                return  # a tick or a toggle sends no message, only an edit
            api.set_error(chat, kind, times=1, method=method, delay=2.0)  # type: ignore[arg-type]
            injected.append(name)

        try:
            steps = await walker.walk(inject)
            case = await walker.case()
            assert case is not None and case.status is CaseStatus.PLANNED
            assert case.verdict is not None and case.symptoms and case.emergency_done
            questions = [s for s in bot.svc.flow.steps
                         if type(s).__name__ in ("ChoiceStep", "AmountStep")]
            assert len(case.answers) >= len([q for q in questions if q.id in case.answers])
            await nothing_owed(bot.svc)
        finally:
            await bot.stop()
        assert len(steps) >= 8
        assert api.stats[f"fault:{kind}"] == len(injected) >= 6
        counts = screen_counts(api, chat)
        most = 2 if kind == "timeout" else 1
        for step in steps:
            for text in step.screens:
                assert 1 <= counts[text] <= most, (step.name, counts[text])
        failed = bot.svc.t("zh-CN", "delivery-failed")
        assert counts[failed] == 0, "the retries were enough: nobody was told to come back"
        assert not api.server_errors


def calls_to(api: FakeBotApi, chat: int, since: int = 0) -> list[str]:
    """Methods the bot called for a chat (except reads), from a call index on."""
    return [c.method for c in api.calls[since:]
            if c.chat_id == chat and c.method not in ("getUpdates", "getChat", "getChatMember")]


async def test_a_slow_or_throttled_chat_does_not_hold_up_another(tmp_path: Path) -> None:
    """Head-of-line: one chat's send hangs 7 s, another's gets RetryAfter 7 s; a third chat's
    command is answered while both still wait (the order of events, not a timing, is checked)."""
    async with FakeBotApi() as api:
        bot = await start_http_bot(api, tmp_path / "bot.sqlite3", read_timeout=10.0)
        finished = bot.processor.finished
        slow, throttled, quick = 501, 502, 503
        try:
            api.set_error(slow, "timeout", times=1, method="sendMessage", delay=7.0)
            api.set_error(throttled, "retry_after", times=1, method="sendMessage", retry_after=7)
            slow_update = api.user_sends_text(slow, "/help")
            throttled_update = api.user_sends_text(throttled, "/help")
            await api.wait_for(lambda c: c.chat_id == slow and c.fault == "timeout")
            await api.wait_for(lambda c: c.chat_id == throttled and c.fault == "retry_after")

            quick_update = api.user_sends_text(quick, "/help")
            answer = await api.wait_for(
                lambda c: c.method == "sendMessage" and c.ok and c.chat_id == quick, timeout=5)
            assert answer.params["text"].startswith(bot.svc.t("zh-CN", "help-intro")[:10])
            assert slow_update not in finished, "the slow chat was still waiting"
            assert throttled_update not in finished, "the throttled chat was still waiting"
            for _ in range(100):
                if quick_update in finished:
                    break
                await asyncio.sleep(0.01)
            assert quick_update in finished

            # Both waiting chats get their answer in the end: once each.
            for _ in range(1200):
                if slow_update in finished and throttled_update in finished:
                    break
                await asyncio.sleep(0.01)
        finally:
            await bot.stop()
        assert calls_to(api, throttled).count("sendMessage") == 2  # the 429, then the retry
        assert [c.ok for c in api.sent(slow)] == [True]


async def test_a_redelivered_update_changes_nothing_and_sends_nothing(tmp_path: Path) -> None:
    """The same update_id again, in one batch and after a restart (Telegram redelivers what was
    not confirmed before a crash): skipped, so the amount is not read as a code at the next
    question and the tick is not undone."""
    database = tmp_path / "bot.sqlite3"
    chat = 4343
    async with FakeBotApi() as api:
        bot = await start_http_bot(api, database, rate_limit=False)
        walker = bot.walker(chat)
        try:
            steps = await walker.walk()
            before = await walker.case()
        finally:
            await bot.stop()
        again = [walker.pushed[s.update_id] for s in steps
                 if s.name == "tick" or s.name.startswith(("type amount", "answer"))]
        assert len(again) >= 3

        bot = await start_http_bot(api, database, rate_limit=False)
        walker.svc, walker.processor = bot.svc, bot.processor
        try:
            since = len(api.calls)
            for update in again:
                api.push_update(update)
            api.push_update(again[-1])  # twice in the same batch too
            processor = bot.app.update_processor
            assert isinstance(processor, ChatOrderedProcessor)
            def skipped() -> int:
                # The second copy in one batch may be caught as a double press of its button.
                return processor.skipped_replays + processor.skipped_presses

            for _ in range(500):
                if skipped() == len(again) + 1:
                    break
                await asyncio.sleep(0.01)
            assert skipped() == len(again) + 1
            assert calls_to(api, chat, since) == []
            assert await walker.case() == before
        finally:
            await bot.stop()


async def test_double_presses_send_each_screen_once(tmp_path: Path) -> None:
    """Every button pressed twice at once (a double tap): each screen arrives once, a toggle
    and a tick stay set, and "open a new case" twice opens one case."""
    chat = 4444
    async with FakeBotApi() as api:
        bot = await start_http_bot(api, tmp_path / "bot.sqlite3", rate_limit=False)
        walker = bot.walker(chat, double_press=True)
        try:
            steps = await walker.walk()
            case = await walker.case()
            assert case is not None and case.status is CaseStatus.PLANNED
            assert len(case.symptoms) == 1 and len(case.emergency_done) == 1
            counts = screen_counts(api, chat)

            # /start offers to continue the planned case or open another: open one, twice.
            since = len(api.calls)
            api.user_sends_text(chat, "/start")
            await api.wait_for(lambda c: c.method == "sendMessage" and c.ok
                               and c.chat_id == chat, since=since)
            symptoms = bot.svc.t("zh-CN", "triage-symptoms-prompt")
            walker.press("nc")
            await api.wait_for(lambda c: c.method == "sendMessage" and c.ok and c.chat_id == chat
                               and symptoms in str(c.params.get("text")), since=since)
            await nothing_owed(bot.svc)
            cases = await bot.svc.store.list_cases(chat)
            processor = bot.app.update_processor
            assert isinstance(processor, ChatOrderedProcessor)
            presses = sum(1 for s in steps if s.name not in ("start",)
                          and not s.name.startswith("type"))
            assert processor.skipped_presses == presses + 1
        finally:
            await bot.stop()
        assert len(cases) == 2, "one new case, not two"
        for step in steps:
            for text in step.screens:
                assert counts[text] == 1, step.name
        after = screen_counts(api, chat) - counts
        assert sum(symptoms in text for text in after.elements()) == 1, "the new case's screen"
        answered = {str(c.params["callback_query_id"]) for c in api.calls_of("answerCallbackQuery")}
        assert len(answered) == 2 * (presses + 1), "every tap is answered, the skipped ones too"


async def test_after_kill_9_the_owed_screen_arrives_without_asking(tmp_path: Path) -> None:
    """The bot process is killed (SIGKILL) while the screen after a committed step is in flight,
    at every step of the triage after consent and during the plan; each time the restarted bot
    sends the screen for the stored step by itself, and the walk goes on to the plan."""
    database = tmp_path / "bot.sqlite3"
    chat = 4545
    async with FakeBotApi() as api:
        reader = await build_services(http_settings(database, api))
        walker = Walker(api, reader, chat)
        bot = run_bot(database, api.base_url)
        await bot.start()
        crashes: list[str] = []
        try:
            while (action := await walker.next_action()) is not None:
                name, do, advances = action
                if not advances or name == "consent":
                    # (Consent sends a thank-you before the case exists: not covered yet.)
                    await walker.act()
                    continue
                # The screen after this step hangs at Telegram; the bot dies waiting for it.
                api.set_error(chat, "timeout", method="sendMessage", delay=60.0)
                since = len(api.calls)
                do()
                await api.wait_for(lambda c: c.chat_id == chat and c.fault == "timeout",
                                   since=since)
                await bot.kill9()
                api.clear_errors()
                crashes.append(name)
                expected = await walker.expected()
                since = len(api.calls)
                bot = run_bot(database, api.base_url)
                await bot.start()
                for text in expected:
                    await api.wait_for(sent_to(chat, text), timeout=10, since=since)
                await nothing_owed(reader)
            case = await walker.case()
            assert case is not None and case.status is CaseStatus.PLANNED
        finally:
            assert await bot.terminate() == 0
            await reader.db.close()
        assert len(crashes) >= 5 and crashes[-1].startswith("answer")
        assert "Traceback" not in "\n".join(bot.log)


async def test_when_retries_run_out_the_user_is_told_once_and_gets_the_screen_later(
        tmp_path: Path) -> None:
    """Every try of the screen after a step fails: the user gets one line saying how to go on,
    the screen stays owed, and the next start sends it unasked."""
    database = tmp_path / "bot.sqlite3"
    chat = 4646
    async with FakeBotApi() as api:
        bot = await start_http_bot(api, database, rate_limit=False)
        walker = bot.walker(chat)
        try:
            while (action := await walker.next_action()) is not None and action[0] != "proceed":
                await walker.act()
            tries = 1 + len(delivery(bot.svc).retry_delays)
            api.set_error(chat, "server_error", times=tries, method="sendMessage")
            since = len(api.calls)
            update_id = walker.press("go:")
            await walker.handled(update_id, timeout=10)
            owed = await delivery(bot.svc).store.owed()
            expected = await walker.expected()
        finally:
            await bot.stop()
        failed = bot.svc.t("zh-CN", "delivery-failed")
        sent = [str(c.params.get("text")) for c in api.calls[since:]
                if c.method == "sendMessage" and c.ok]
        assert sent == [failed]
        assert [(o.chat_id, o.kind.value) for o in owed] == [(chat, "step")]

        since = len(api.calls)
        bot = await start_http_bot(api, database, rate_limit=False)
        try:
            for text in expected:
                await api.wait_for(sent_to(chat, text), timeout=10, since=since)
            await nothing_owed(bot.svc)
        finally:
            await bot.stop()
