"""How updates are processed: one chat at a time in order, different chats concurrently.

PTB hands every update to ``BaseUpdateProcessor.do_process_update`` as its own task, in the
order it fetched them. ``ChatOrderedProcessor`` chains the updates of one chat (or, without a
chat, one user) behind a per-chat lock, so a chat's updates run one after another in arrival
order, while other chats run alongside: a chat that waits on Telegram (a slow send, a
RetryAfter) holds up only itself.

Two things are skipped before a handler runs, so they change nothing and send nothing twice:

* an ``update_id`` that was already handled (Telegram redelivers updates that were not
  confirmed before a crash; ``UpdateLedger`` remembers handled ids across restarts, recorded
  as each update starts: at most once, see ``_run``);
* a second press of the same button on the same message state that arrived while the first
  press was still queued or being handled (a double tap): it is answered with an empty
  acknowledgement and dropped.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Protocol

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# Updates handled at once (handlers waiting for their chat's turn do not count).
DEFAULT_RUNNING = 256
# Updates accepted at once, running or waiting for their chat (PTB's own semaphore).
DEFAULT_ACCEPTED = 100_000
# A press that repeats one seen this recently, on the same message state, is a double tap.
DOUBLE_PRESS_WINDOW_S = 2.0


class UpdateLedger(Protocol):
    """Remembers which update ids were handled (see ``bot.store.delivery``)."""

    async def handled(self, update_id: int) -> bool:
        """Tell whether an update id was handled already."""

    async def mark_handled(self, update_id: int) -> None:
        """Record an update id as handled."""


def order_key(update: object) -> int | None:
    """Return what a update is ordered by: its chat, else its user, else nothing.

    A private chat's id is its user's id, so a user's inline-message buttons queue behind their
    private chat's updates.
    """
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None


def press_key(update: object) -> Hashable | None:
    """Return what identifies a button press up to a double tap, or None if not a press.

    Two presses of the same button on the same message state (text, buttons, edit date) are
    one intention; a press after the message changed is a new one.
    """
    if not isinstance(update, Update) or update.callback_query is None:
        return None
    query = update.callback_query
    message = query.message
    if message is None:
        return (query.inline_message_id, query.data, query.from_user.id)
    markup = getattr(message, "reply_markup", None)
    edit_date = getattr(message, "edit_date", None)
    text = getattr(message, "text", None)
    return (message.chat.id, message.message_id, query.data, query.from_user.id,
            hash(text), edit_date, hash(markup.to_json()) if markup is not None else None)


def _discard(coroutine: Awaitable[Any]) -> None:
    """Close a coroutine that will not run (so Python does not warn it was never awaited)."""
    if inspect.iscoroutine(coroutine):
        coroutine.close()


class _Turn:
    """A chat's lock and how many updates hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Serialise updates per chat (or user), run different chats concurrently."""

    def __init__(self, running: int = DEFAULT_RUNNING, *, accepted: int = DEFAULT_ACCEPTED,
                 ledger: UpdateLedger | None = None,
                 double_press_window_s: float = DOUBLE_PRESS_WINDOW_S) -> None:
        super().__init__(max_concurrent_updates=accepted)
        self.running = running
        self.ledger = ledger
        self.double_press_window_s = double_press_window_s
        self._running: asyncio.Semaphore | None = None
        self._turns: dict[int, _Turn] = {}
        self._inflight_ids: set[int] = set()
        # press key -> (time the press arrived, still being handled)
        self._presses: OrderedDict[Hashable, float] = OrderedDict()
        self.skipped_replays = 0
        self.skipped_presses = 0
        # The ids of the latest updates whose handling ended (for tests and benchmarks).
        self.finished: deque[int] = deque(maxlen=10_000)
        # Runs after each update, still on its chat's turn (e.g. to send what it left owed).
        self.after: Callable[[object], Awaitable[None]] | None = None
        # Update ids someone waits on (webhook mode answers Telegram once the update is done).
        self._awaited: dict[int, asyncio.Future[None]] = {}

    def done_event(self, update_id: int) -> asyncio.Future[None]:
        """Return a future set once the update with this id was handled (or skipped)."""
        fut = self._awaited.get(update_id)
        if fut is None:
            fut = self._awaited[update_id] = asyncio.get_running_loop().create_future()
        return fut

    def _done(self, update_id: int | None) -> None:
        if update_id is None:
            return
        fut = self._awaited.pop(update_id, None)
        if fut is not None and not fut.done():
            fut.set_result(None)

    async def initialize(self) -> None:
        """Create the semaphore on the running loop."""
        self._running = asyncio.Semaphore(self.running)

    async def shutdown(self) -> None:
        """Nothing to release: PTB waits for running updates before shutting down."""

    @property
    def chats_waiting(self) -> int:
        """Return how many chats have updates running or queued."""
        return len(self._turns)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update after the earlier updates of its chat; skip replays and double taps."""
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id is not None and update_id in self._inflight_ids:
            self.skipped_replays += 1
            _discard(coroutine)
            return
        try:
            await self._process(update, update_id, coroutine)
        finally:
            self._done(update_id)

    async def _process(self, update: object, update_id: int | None,
                       coroutine: Awaitable[Any]) -> None:
        if self._double_press(update):
            self.skipped_presses += 1
            _discard(coroutine)
            await _acknowledge(update)
            return
        if update_id is not None:
            self._inflight_ids.add(update_id)
        try:
            key = order_key(update)
            if key is None:
                await self._run(update, update_id, coroutine)
                return
            turn = self._turns.get(key)
            if turn is None:
                turn = self._turns[key] = _Turn()
            turn.users += 1
            try:
                async with turn.lock:
                    await self._run(update, update_id, coroutine)
            finally:
                turn.users -= 1
                if turn.users == 0:
                    del self._turns[key]
        finally:
            if update_id is not None:
                self._inflight_ids.discard(update_id)

    async def _run(self, update: object, update_id: int | None,
                   coroutine: Awaitable[Any]) -> None:
        """Run one update unless the ledger knows it; record it before it runs.

        Recorded first, so an update is handled at most once even across a crash: one that
        was cut short is not run again (at the next step it could mean something else, e.g. an
        amount read as a code). What its user is owed is recorded before its step is committed
        and sent again after the restart, so nothing the user was told about is lost. A replay
        still gets the after-update step: when the process that started it was killed (Telegram
        posts it again, maybe to another instance), the chat's owed screen goes out now.
        """
        if update_id is not None and self.ledger is not None:
            if await self.ledger.handled(update_id):
                self.skipped_replays += 1
                log.info("update %s was handled before: skipped", update_id)
                _discard(coroutine)
                if self.after is not None:
                    try:
                        await self.after(update)
                    except Exception:
                        log.exception("the after-update step failed")
                return
            try:
                await self.ledger.mark_handled(update_id)
            except Exception:
                log.exception("could not record update %s as handled", update_id)
        if self._running is None:
            await self.initialize()
        assert self._running is not None
        try:
            async with self._running:
                await coroutine
                if self.after is not None:
                    try:
                        await self.after(update)
                    except Exception:
                        log.exception("the after-update step failed")
        finally:
            if update_id is not None:
                self.finished.append(update_id)

    def _double_press(self, update: object) -> bool:
        """Tell whether a press repeats one that arrived moments ago on the same message state."""
        key = press_key(update)
        if key is None:
            return False
        now = time.monotonic()
        presses = self._presses
        while presses:
            oldest, at = next(iter(presses.items()))
            if at > now - self.double_press_window_s:
                break
            del presses[oldest]
        if key in presses:
            return True
        presses[key] = now
        return False


async def _acknowledge(update: object) -> None:
    """Answer a dropped double tap so the client stops its spinner."""
    if isinstance(update, Update) and update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramError:
            log.debug("could not answer a double press")
