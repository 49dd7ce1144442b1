"""A send budget for PTB: pace what Telegram limits, and wait out RetryAfter per chat.

Telegram's documented limits count *messages sent*: about 30 per second for the whole bot,
about one per second in one chat (short bursts are tolerated) and 20 per minute in a group.
PTB's ``AIORateLimiter`` paces every request that names a chat, button answers and edits
included, and stops every request while any one of them waits out a RetryAfter. Here:

* messages (``sendMessage``, ``sendDocument``, ...) take a slot of the bot-wide budget, and a
  slot of their chat (private: a burst of ``private_burst``, then one per second; groups: the
  same, and at most ``group_per_minute`` a minute). A person answering questions never comes
  near the private limit (a step sends one message, the plan three); the burst only paces a
  chat that is sent much more than it asks;
* edits, button answers, deletions and reads go straight out;
* a RetryAfter answer holds that chat only: the request (and the chat's later ones) wait as
  told, then try again, up to ``max_retries`` times; other chats carry on;
* while the alert broadcaster runs at no more than this budget (``BROADCAST_RATE`` 25 by
  default), messages take their bot-wide slot from its pacer, so both together stay within it.

Each limit is a GCRA schedule (the "virtual scheduling" form of a token bucket): taking a slot
is a synchronous reservation, so concurrent tasks never race for the same one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]


class SharedSlots(Protocol):
    """Another sender's bot-wide pacing (the alert broadcaster's ``Pacer``)."""

    rate: float

    async def slot(self) -> None:
        """Wait for the next bot-wide send slot."""

# Below Telegram's ~30/s: room for the jitter with which messages reach Telegram (with 200 users on
# one busy core, 28/s still met a few 429s at a server counting 30 in any second).
DEFAULT_OVERALL_PER_S = 25.0
PRIVATE_BURST = 10
GROUP_PER_MINUTE = 20
MAX_RETRIES = 3
# Kept per chat only while it matters; the table is swept when it grows past this.
SWEEP_AT = 4096
# Telegram counts the moments requests arrive, not the moments this process lets them go: the
# bot-wide window is this much longer than a second, so a request delayed on its way out (a busy
# loop, a thread switch, the network) cannot land in the same second as one sent a second later.
WINDOW_S = 1.05

# Methods that put a new message in a chat (what Telegram's limits count).
MESSAGE_METHODS = frozenset({
    "sendMessage", "sendDocument", "sendPhoto", "sendVideo", "sendAudio", "sendVoice",
    "sendAnimation", "sendSticker", "sendMediaGroup", "sendLocation", "sendVenue",
    "sendContact", "sendPoll", "sendDice", "sendVideoNote", "sendInvoice", "sendGame",
    "sendPaidMedia", "copyMessage", "copyMessages", "forwardMessage", "forwardMessages",
})


@dataclass
class Schedule:
    """GCRA: at most ``burst`` at once, then one every ``interval`` seconds."""

    interval: float
    burst: int = 1
    tat: float = 0.0  # theoretical arrival time of the next request

    def reserve(self, now: float, not_before: float = 0.0) -> float:
        """Take the next slot; return the time at which it may be used."""
        tat = max(self.tat, now, not_before)
        at = max(now, not_before, tat - (self.burst - 1) * self.interval)
        self.tat = tat + self.interval
        return at

    def idle(self, now: float) -> bool:
        """Tell whether the schedule is back at its full burst (so it can be forgotten)."""
        return self.tat <= now


@dataclass
class ChatState:
    """What the budget keeps about one chat."""

    messages: Schedule
    minute: Schedule | None = None
    held_until: float = 0.0


@dataclass
class BudgetStats:
    """Counters for logs, tests and benchmarks."""

    messages: int = 0
    other: int = 0
    retry_after: int = 0
    waited_s: float = 0.0


def retry_seconds(exc: RetryAfter) -> float:
    """Return RetryAfter's wait in seconds, whichever form PTB gives it in."""
    value: Any = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


class SendBudget(BaseRateLimiter[int]):
    """Pace messages per bot and per chat; hold only the chat that got a RetryAfter.

    ``rate_limit_args`` (an int), when given, is the number of RetryAfter retries for a call.
    """

    def __init__(self, overall_per_s: float = DEFAULT_OVERALL_PER_S, *,
                 private_burst: int = PRIVATE_BURST, group_per_minute: int = GROUP_PER_MINUTE,
                 max_retries: int = MAX_RETRIES,
                 shared: Callable[[], SharedSlots | None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.bot_per_s = overall_per_s
        self.overall_per_s = overall_per_s
        self.shared = shared
        self.overall = Schedule(1.0 / overall_per_s)
        self.overall_limit = max(1, int(overall_per_s))
        self._sent: deque[float] = deque()
        self.private_burst = private_burst
        self.group_per_minute = group_per_minute
        self.max_retries = max_retries
        self.clock = clock
        self.stats = BudgetStats()
        self._chats: dict[int | str, ChatState] = {}

    def share(self, live: int) -> None:
        """Pace at 1/``live`` of the bot-wide rate: ``live`` processes send for one bot."""
        self.overall_per_s = self.bot_per_s / max(1, live)
        self.overall = Schedule(1.0 / self.overall_per_s, tat=self.overall.tat)
        self.overall_limit = max(1, int(self.overall_per_s))

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def held_for(self, chat_id: int | str) -> float:
        """Return how long a chat is still held by a RetryAfter."""
        state = self._chats.get(chat_id)
        return max(0.0, state.held_until - self.clock()) if state else 0.0

    def _chat(self, chat_id: int | str) -> ChatState:
        state = self._chats.get(chat_id)
        if state is None:
            if len(self._chats) >= SWEEP_AT:
                self._sweep()
            group = isinstance(chat_id, str) or chat_id < 0
            state = ChatState(
                messages=Schedule(1.0, self.private_burst),
                minute=Schedule(60.0 / self.group_per_minute, self.group_per_minute)
                if group else None,
            )
            self._chats[chat_id] = state
        return state

    def _sweep(self) -> None:
        """Forget chats whose limits are back to full and that are not held."""
        now = self.clock()
        self._chats = {
            c: s for c, s in self._chats.items()
            if s.held_until > now or not s.messages.idle(now)
            or (s.minute is not None and not s.minute.idle(now))
        }

    async def _wait(self, chat: ChatState | None, message: bool) -> None:
        """Wait until the chat is free and, for a message, its slots and the bot's come up.

        The chat's slot may lie in the future (a RetryAfter, a burst used up); the bot-wide
        slot is taken only once the chat is ready, so a waiting chat never reserves (and
        blocks) the bot's budget ahead of time.
        """
        now = self.clock()
        at = chat.held_until if chat is not None else 0.0
        if message and chat is not None:
            at = chat.messages.reserve(now, at)
            if chat.minute is not None:
                at = max(at, chat.minute.reserve(now, at))
        await self._sleep_until(at, now)
        if message:
            pacer = self.shared() if self.shared is not None else None
            if pacer is not None and pacer.rate <= self.overall_per_s:
                # One budget with the broadcaster: its sends and these take turns on its slots.
                await pacer.slot()
            else:
                now = self.clock()
                await self._sleep_until(self.overall.reserve(now), now)
            # The schedule assumes each message leaves on time; a busy event loop sends some
            # late, bunched with the next ones. Counting the times they really leave keeps any
            # one second at the limit anyway.
            sent = self._sent
            while True:
                now = self.clock()
                while sent and sent[0] <= now - WINDOW_S:
                    sent.popleft()
                if len(sent) < self.overall_limit:
                    break
                await self._sleep_until(sent[0] + WINDOW_S, now)
            sent.append(now)

    async def _sleep_until(self, at: float, now: float) -> None:
        if at > now:
            self.stats.waited_s += at - now
            await asyncio.sleep(at - now)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Make the request within the budget, retrying after RetryAfter for this chat only."""
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        chat_id = data.get("chat_id")
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        chat = self._chat(chat_id) if isinstance(chat_id, int | str) else None
        message = endpoint in MESSAGE_METHODS
        for attempt in range(retries + 1):
            await self._wait(chat, message)
            if message:
                self.stats.messages += 1
            else:
                self.stats.other += 1
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.stats.retry_after += 1
                wait = retry_seconds(exc)
                if attempt == retries:
                    log.warning("%s: still rate limited after %d retries", endpoint, retries)
                    raise
                log.info("%s: Telegram asked to wait %.1f s (this chat only)", endpoint, wait)
                if chat is not None:
                    chat.held_until = max(chat.held_until, self.clock() + wait)
                else:
                    await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover
