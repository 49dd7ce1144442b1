"""Telegram's send limits, kept by the sender itself: overall rate, per chat, per group."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

PER_CHAT_INTERVAL_S = 1.0
GROUP_WINDOW_S = 60.0
GROUP_MAX_PER_WINDOW = 20


class Pacer:
    """Hand out send slots at ``rate`` per second and say when a chat may get the next one.

    Slots are scheduled on an absolute timeline, so a late wake-up is made up by the next
    slots (at most ``burst_s`` worth), which keeps the average at the rate without exceeding
    ``rate + rate * burst_s`` in any one-second window.
    """

    def __init__(self, rate: float, *, burst_s: float = 0.05,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.interval = 1.0 / rate
        self.burst_s = burst_s
        self.burst = max(burst_s, self.interval)
        self.clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._last_chat: dict[int, float] = {}
        self._groups: dict[int, deque[float]] = {}
        self._lock = asyncio.Lock()

    def set_rate(self, rate: float) -> None:
        """Change the overall rate (this process's share when several processes send)."""
        self.rate = rate
        self.interval = 1.0 / rate
        self.burst = max(self.burst_s, self.interval)

    def pause(self, seconds: float) -> None:
        """Hold every slot for a while (Telegram answered RetryAfter)."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    @property
    def paused_for(self) -> float:
        """Return how long slots are still held."""
        return max(0.0, self._paused_until - self.clock())

    async def slot(self) -> None:
        """Wait for the next overall send slot."""
        async with self._lock:
            while (wait := self._paused_until - self.clock()) > 0:
                await asyncio.sleep(wait)
                self._next = self.clock()
            now = self.clock()
            at = max(self._next, now - self.burst)
            self._next = at + self.interval
            if at > now:
                await asyncio.sleep(at - now)

    def ready_at(self, chat_id: int, is_group: bool) -> float:
        """Return the earliest clock time at which a chat may get another message."""
        at = self._last_chat.get(chat_id, -PER_CHAT_INTERVAL_S) + PER_CHAT_INTERVAL_S
        if is_group:
            window = self._groups.get(chat_id)
            if window is not None and len(window) >= GROUP_MAX_PER_WINDOW:
                at = max(at, window[0] + GROUP_WINDOW_S)
        return at

    def note(self, chat_id: int, is_group: bool) -> None:
        """Record a message (or an edit) going to a chat now."""
        now = self.clock()
        self._last_chat[chat_id] = now
        if is_group:
            window = self._groups.setdefault(chat_id, deque())
            window.append(now)
            while window and window[0] <= now - GROUP_WINDOW_S:
                window.popleft()
        # Private chats only matter for a second: forget old ones so 100,000 recipients
        # do not stay in memory.
        if len(self._last_chat) > max(1024, 4 * int(self.rate)):
            cutoff = now - PER_CHAT_INTERVAL_S
            self._last_chat = {c: t for c, t in self._last_chat.items() if t > cutoff}
            self._groups = {c: w for c, w in self._groups.items()
                            if w and w[-1] > now - GROUP_WINDOW_S}
