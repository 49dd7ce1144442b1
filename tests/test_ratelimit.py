"""SendBudget: what is paced, what is not, and RetryAfter holding only its chat."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from telegram.error import RetryAfter

from bot.ratelimit import SendBudget


class Recorder:
    """A stand-in for PTB's request callback that records when each call left."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, str, Any]] = []
        self.fail_once: set[Any] = set()

    async def __call__(self, endpoint: str, chat_id: Any) -> bool:
        if chat_id in self.fail_once:
            self.fail_once.discard(chat_id)
            raise RetryAfter(1)
        self.sent.append((time.monotonic(), endpoint, chat_id))
        return True


async def call(budget: SendBudget, recorder: Recorder, endpoint: str, chat_id: Any) -> object:
    return await budget.process_request(recorder, (endpoint, chat_id), {}, endpoint,
                                        {"chat_id": chat_id}, None)


async def test_answers_and_edits_are_not_paced_messages_are() -> None:
    budget, recorder = SendBudget(20.0), Recorder()
    await asyncio.gather(*(call(budget, recorder, "answerCallbackQuery", None) for _ in range(40)),
                         *(call(budget, recorder, "editMessageText", i) for i in range(40)))
    assert budget.stats.waited_s == 0
    await asyncio.gather(*(call(budget, recorder, "sendMessage", i) for i in range(30)))
    times = sorted(t for t, e, _ in recorder.sent if e == "sendMessage")
    # Seen from the receiving end (the recorder's own clock, a little after the budget's), no
    # second holds more than the budget: the window's margin absorbs the delay on the way out.
    assert max(sum(1 for u in times if t <= u < t + 1.0) for t in times) <= 20
    assert times[-1] - times[0] >= 0.5, "the 30 messages were spread, not sent at once"
    assert budget.stats.messages == 30


async def test_a_retry_after_holds_only_its_chat() -> None:
    budget, recorder = SendBudget(), Recorder()
    recorder.fail_once.add(1)
    held = asyncio.create_task(call(budget, recorder, "sendMessage", 1))
    await asyncio.sleep(0.05)
    assert budget.held_for(1) > 0.5
    await call(budget, recorder, "sendMessage", 2)
    await call(budget, recorder, "editMessageText", 1 + 1)
    assert [c for _, _, c in recorder.sent] == [2, 2], "chat 2 went first"
    assert not held.done()
    await held
    assert [c for _, _, c in recorder.sent] == [2, 2, 1] and budget.stats.retry_after == 1


async def test_a_chat_gets_a_burst_then_one_message_a_second() -> None:
    budget, recorder = SendBudget(1000.0, private_burst=3), Recorder()
    start = time.monotonic()
    await asyncio.gather(*(call(budget, recorder, "sendMessage", 7) for _ in range(4)))
    times = sorted(t - start for t, _, _ in recorder.sent)
    assert times[2] < 0.5 <= 0.9 <= times[3]


class Pacer:
    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.slots = 0

    async def slot(self) -> None:
        self.slots += 1


async def test_messages_share_the_broadcasters_budget_when_it_is_no_larger() -> None:
    recorder = Recorder()
    small, large = Pacer(25.0), Pacer(1000.0)
    await call(SendBudget(25.0, shared=lambda: small), recorder, "sendMessage", 1)
    await call(SendBudget(25.0, shared=lambda: small), recorder, "answerCallbackQuery", None)
    await call(SendBudget(25.0, shared=lambda: large), recorder, "sendMessage", 2)
    await call(SendBudget(25.0, shared=lambda: None), recorder, "sendMessage", 3)
    assert (small.slots, large.slots) == (1, 0)
