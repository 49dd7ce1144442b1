"""The broadcast sender: works through pending delivery rows at Telegram's limits, resumably.

Each row is marked ``sending`` (committed) before its message leaves, and its result is
written back in batches. After a crash, the rows still marked ``sending`` are sent again: those
are the only recipients who can get an alert twice, and their number is logged and stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from telegram import InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.alerts.pacer import Pacer
from bot.alerts.store import (
    AlertStore,
    BroadcastRow,
    BroadcastState,
    Counts,
    DeliveryRow,
    DeliveryState,
    Outcome,
)
from bot.alerts.transport import Post, connect_timed_out
from bot.services import Services
from bot.store.coord import coord_of

log = logging.getLogger(__name__)

def backoff(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt`` after a transient error."""
    return float(min(30.0, 0.5 * 2 ** (attempt - 1)))


def retry_seconds(exc: RetryAfter) -> float:
    """Return RetryAfter's wait in seconds, whichever form PTB gives it in."""
    value: Any = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


def maybe_delivered(exc: TimedOut) -> bool:
    """Tell whether a timed-out request may have reached Telegram (so a resend could duplicate).

    Connect and pool timeouts happen before the request leaves; read and write timeouts do not
    say whether Telegram got (and delivered) the message.
    """
    cause = exc.__cause__
    if connect_timed_out(cause):
        return False
    return not isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout) and (
        "Pool timeout" not in str(exc)
    )


@dataclass
class SenderStats:
    """Counters of this process's sender, for logs and benchmarks."""

    sent: int = 0
    retry_after: int = 0
    transient: int = 0
    first_send: float | None = None
    last_send: float | None = None


@dataclass
class SenderConfig:
    """Tuning of the sender (the rate comes from the settings)."""

    rate: float
    concurrency: int = 8
    max_attempts: int = 5
    claim_window_s: float = 0.25
    flush_interval_s: float = 0.2
    # Results are written once this many are waiting (or every flush_interval_s): at 25/s
    # that is every result, at 1,000/s batches of 50. After a crash, only the unwritten
    # results can turn into duplicates, so small batches keep that number small.
    flush_after_s: float = 0.05
    progress_interval_s: float = 3.0
    group_progress_interval_s: float = 6.0
    stop_timeout_s: float = 5.0


ProgressRenderer = Callable[[BroadcastRow, Counts, float | None], tuple[str,
                                                                      InlineKeyboardMarkup | None]]
TextRenderer = Callable[[BroadcastRow, str, bool], str]


@dataclass
class _Run:
    """What the sender keeps in memory about the broadcast it works on."""

    row: BroadcastRow
    texts: dict[tuple[str, bool], str] = field(default_factory=dict)
    last_progress: float = 0.0
    cancelled: bool = False


class Sender:
    """One task that sends every running broadcast, oldest first."""

    def __init__(self, svc: Services, store: AlertStore, post: Post, config: SenderConfig, *,
                 render_text: TextRenderer, render_progress: ProgressRenderer) -> None:
        self.svc = svc
        self.store = store
        self.post = post
        self.config = config
        self.pacer = Pacer(config.rate)
        self.stats = SenderStats()
        self.render_text = render_text
        self.render_progress = render_progress
        self._outcomes: list[Outcome] = []
        self._inflight: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(config.concurrency)
        self._wake = asyncio.Event()
        self._flush_now = asyncio.Event()
        self._flush_batch = max(1, math.ceil(config.rate * config.flush_after_s))
        self._flush_lock = asyncio.Lock()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._progress_task: asyncio.Task[None] | None = None
        self._run: _Run | None = None
        self._busy = False
        self._holder: str | None = None
        self._unwatch: Callable[[], None] | None = None

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        """Resume unfinished broadcasts and start sending."""
        coord = coord_of(self.svc)
        if coord is not None:
            # Several processes: each sends at its share of the rate, claims rows under its
            # own id, and puts back only rows of processes that are gone (at every heartbeat).
            self._holder = coord.id
            self._unwatch = coord.watch(lambda live: self.pacer.set_rate(self.config.rate / live))
            coord.reapers.append(self._take_over)
            taken = await coord.take_over_deliveries(self.svc.now())
            for row in await self.store.running():  # also finishes a half-prepared broadcast
                if taken.get(row.id):
                    log.warning("broadcast %d resumed: %d sends were in flight when their "
                                "process stopped and may reach their recipient twice", row.id,
                                taken[row.id])
                else:
                    log.info("broadcast %d resumed", row.id)
            self._task = asyncio.create_task(self._loop(), name="alerts-sender")
            self._flusher = asyncio.create_task(self._flush_loop(), name="alerts-flusher")
            return
        for row in await self.store.running():
            inflight = await self.store.reclaim_inflight(row.id)
            if inflight:
                log.warning("broadcast %d resumed: %d sends were in flight when the process "
                            "stopped and may reach their recipient twice", row.id, inflight)
            else:
                log.info("broadcast %d resumed", row.id)
        self._task = asyncio.create_task(self._loop(), name="alerts-sender")
        self._flusher = asyncio.create_task(self._flush_loop(), name="alerts-flusher")

    async def _take_over(self, now: float) -> None:
        coord = coord_of(self.svc)
        if coord is None or self._stopping:
            return
        for broadcast_id, count in (await coord.take_over_deliveries(now)).items():
            log.warning("broadcast %d resumed: %d sends were in flight when their process "
                        "stopped and may reach their recipient twice", broadcast_id, count)
            self._wake.set()

    async def stop(self) -> None:
        """Stop claiming, let in-flight sends finish (bounded), and write their results."""
        self._stopping = True
        coord = coord_of(self.svc)
        if coord is not None and self._take_over in coord.reapers:
            coord.reapers.remove(self._take_over)
        if self._unwatch is not None:
            self._unwatch()
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, self.config.stop_timeout_s)
            except TimeoutError:
                log.warning("sender did not stop in time")
        if self._inflight:
            await asyncio.wait(list(self._inflight), timeout=self.config.stop_timeout_s)
        for task in [self._flusher, self._progress_task, *self._inflight]:
            if task is not None and not task.done():
                task.cancel()
        await self._flush()

    def wake(self) -> None:
        """Look for work now (a broadcast was started or cancelled)."""
        self._wake.set()

    def cancel(self, broadcast_id: int) -> None:
        """Stop sending a broadcast's claimed rows (the store already cancelled the rest)."""
        if self._run is not None and self._run.row.id == broadcast_id:
            self._run.cancelled = True
        self._wake.set()

    async def summarize_stopped(self, broadcast_id: int) -> None:
        """Show the summary of a broadcast stopped before this sender took it up.

        A broadcast this sender runs gets its summary when its in-flight sends land (``_step``);
        one stopped before any process claimed a row would otherwise keep its Stop button.
        """
        if self._run is not None and self._run.row.id == broadcast_id:
            return
        row = await self.store.broadcast(broadcast_id)
        if row is None or row.state is not BroadcastState.CANCELLED:
            return
        counts = await self.store.counts(broadcast_id)
        if counts.sending:
            return  # another process still has rows in flight; it shows the summary
        await self._edit_status(row, counts, None, wait=False)

    @property
    def idle(self) -> bool:
        """Tell whether nothing is being sent or waiting to be written."""
        return (self._run is None and not self._busy and not self._inflight
                and not self._outcomes and not self._flush_lock.locked())

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until every running broadcast is finished (for tests and benchmarks)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self.idle and not await self.store.running():
                return
            await asyncio.sleep(0.02)
        raise TimeoutError("broadcasts still running")

    # -- the loop --------------------------------------------------------------------------
    async def _loop(self) -> None:
        while not self._stopping:
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("broadcast sender error; retrying in a second")
                await asyncio.sleep(1.0)

    async def _sleep(self, seconds: float) -> None:
        """Sleep, waking early when told there is work."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), max(seconds, 0.0))

    async def _step(self) -> None:
        running = await self.store.running()
        current = self._run
        if current is not None and all(r.id != current.row.id for r in running):
            # Cancelled from outside: let what is in flight land, then show the summary.
            current.cancelled = True
            await self._finish(current, done=False)
            return
        if not running:
            self._run = None
            await self._sleep(5.0)
            return
        if current is None or current.row.id != running[0].id:
            current = self._run = _Run(running[0])
            log.info("broadcast %d: sending to %d recipients", current.row.id,
                     current.row.total)
        self._busy = True
        limit = max(1, min(1000, math.ceil(self.config.rate * self.config.claim_window_s)))
        rows = await self.store.claim(current.row.id, time.time(), limit, self._holder)
        if not rows:
            await self._when_nothing_claimed(current)
            return
        for row in rows:
            if current.cancelled or self._stopping:
                self._outcomes.append(Outcome(row.broadcast_id, row.chat_id,
                                              DeliveryState.CANCELLED if current.cancelled
                                              else DeliveryState.PENDING, row.attempts))
                continue
            ready = self.pacer.ready_at(row.chat_id, row.is_group)
            now = self.pacer.clock()
            if ready > now:
                # This chat had a message too recently: come back to it later.
                self._outcomes.append(Outcome(row.broadcast_id, row.chat_id,
                                              DeliveryState.PENDING, row.attempts,
                                              not_before=time.time() + (ready - now)))
                continue
            await self._slots.acquire()
            await self.pacer.slot()
            self.pacer.note(row.chat_id, row.is_group)
            task = asyncio.create_task(self._deliver(current, row))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
            self._maybe_progress(current)
        self._busy = False

    async def _when_nothing_claimed(self, run: _Run) -> None:
        if self._inflight:
            await asyncio.wait(list(self._inflight), timeout=0.2,
                               return_when=asyncio.FIRST_COMPLETED)
            self._maybe_progress(run)
            return
        await self._flush()
        due = await self.store.next_due(run.row.id)
        coord = coord_of(self.svc)
        if due is None and coord is not None and await coord.sending(run.row.id):
            # Another process still sends its last rows (or died with them: the heartbeat
            # puts those back to pending): the broadcast is not finished yet.
            self._busy = False
            await self._sleep(0.5)
            return
        if due is None:
            await self._finish(run, done=True)
            return
        self._busy = False
        self._maybe_progress(run)
        await self._sleep(min(1.0, due - time.time()))

    async def _finish(self, run: _Run, *, done: bool) -> None:
        """Wait for in-flight sends, record everything and replace the status with a summary."""
        if self._inflight:
            await asyncio.wait(list(self._inflight))
        await self._flush()
        if done:
            await self.store.finish(run.row.id, self.svc.now())
        else:
            await self.store.cancel_leftovers(run.row.id)
        row = await self.store.broadcast(run.row.id) or run.row
        counts = await self.store.counts(row.id)
        log.info("broadcast %d %s: %d sent, %d blocked, %d failed, %d unconfirmed, "
                 "%d cancelled of %d", row.id, row.state.value, counts.sent, counts.blocked,
                 counts.failed, counts.unknown, counts.cancelled, counts.total)
        if self._progress_task is not None and not self._progress_task.done():
            await self._progress_task
        await self._edit_status(row, counts, None, wait=True)
        self._run = None
        self._busy = False

    # -- one recipient ---------------------------------------------------------------------
    async def _deliver(self, run: _Run, row: DeliveryRow) -> None:
        try:
            outcome = await self._attempts(run, row)
        except Exception as exc:
            log.exception("unexpected error sending broadcast %d to %d", row.broadcast_id,
                          row.chat_id)
            outcome = self._transient(row, row.chat_id, row.attempts + 1, exc)
        try:
            self._outcomes.append(outcome)
        finally:
            self._slots.release()
            if len(self._outcomes) >= self._flush_batch:
                self._flush_now.set()

    async def _attempts(self, run: _Run, row: DeliveryRow) -> Outcome:
        """Send one alert, following migrations and RetryAfter; return the final outcome."""
        chat_id = row.chat_id
        attempts = row.attempts
        flood_waits = 0
        text = self._text(run, row.locale, row.is_group)
        while True:
            attempts += 1
            try:
                await self.post.send(chat_id, text)
            except RetryAfter as exc:
                self.stats.retry_after += 1
                flood_waits += 1
                self.pacer.pause(retry_seconds(exc))
                log.warning("Telegram asked to wait %.0f s", retry_seconds(exc))
                if flood_waits > self.config.max_attempts:
                    return self._outcome(row, chat_id, DeliveryState.FAILED, attempts,
                                         error="retry_after")
                attempts -= 1  # a flood wait is not the recipient's fault
                await self.pacer.slot()
                continue
            except ChatMigrated as exc:
                new_id = int(exc.new_chat_id)
                moved = await self.store.move_delivery(row.broadcast_id, chat_id, new_id,
                                                       self.svc.now())
                log.info("group %d moved to %d", chat_id, new_id)
                if not moved:
                    # The new id has its own row in this broadcast: it gets the alert there.
                    return self._outcome(row, chat_id, DeliveryState.CANCELLED, attempts,
                                         error="migrated", skip=True)
                chat_id = new_id
                await self.pacer.slot()
                self.pacer.note(chat_id, row.is_group)
                continue
            except Forbidden as exc:
                return self._outcome(row, chat_id, DeliveryState.BLOCKED, attempts,
                                     error=str(exc)[:200])
            except BadRequest as exc:
                return self._outcome(row, chat_id, DeliveryState.FAILED, attempts,
                                     error=str(exc)[:200])
            except TimedOut as exc:
                if maybe_delivered(exc):
                    return self._outcome(row, chat_id, DeliveryState.UNKNOWN, attempts,
                                         error="timed out")
                return self._transient(row, chat_id, attempts, exc)
            except NetworkError as exc:
                return self._transient(row, chat_id, attempts, exc)
            except TelegramError as exc:
                return self._outcome(row, chat_id, DeliveryState.FAILED, attempts,
                                     error=str(exc)[:200])
            self._count_sent()
            return self._outcome(row, chat_id, DeliveryState.SENT, attempts)

    def _transient(self, row: DeliveryRow, chat_id: int, attempts: int,
                   exc: Exception) -> Outcome:
        self.stats.transient += 1
        if attempts >= self.config.max_attempts:
            return self._outcome(row, chat_id, DeliveryState.FAILED, attempts,
                                 error=str(exc)[:200])
        return self._outcome(row, chat_id, DeliveryState.PENDING, attempts,
                             not_before=time.time() + backoff(attempts), error=str(exc)[:200])

    @staticmethod
    def _outcome(row: DeliveryRow, chat_id: int, state: DeliveryState, attempts: int, *,
                 not_before: float = 0.0, error: str | None = None,
                 skip: bool = False) -> Outcome:
        return Outcome(row.broadcast_id, chat_id, state, attempts, not_before=not_before,
                       error=error, is_group=row.is_group, skip=skip)

    def _count_sent(self) -> None:
        now = time.monotonic()
        self.stats.sent += 1
        if self.stats.first_send is None:
            self.stats.first_send = now
        self.stats.last_send = now

    def _text(self, run: _Run, locale: str, is_group: bool) -> str:
        key = (locale, is_group)
        text = run.texts.get(key)
        if text is None:
            text = run.texts[key] = self.render_text(run.row, locale, is_group)
        return text

    # -- results and progress --------------------------------------------------------------
    async def _flush(self) -> None:
        """Write the collected results in one transaction."""
        async with self._flush_lock:
            if not self._outcomes:
                return
            batch, self._outcomes = self._outcomes, []
            try:
                await self.store.record([o for o in batch if not o.skip], self.svc.now())
            except BaseException:
                self._outcomes[:0] = batch
                raise

    async def _flush_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flush_now.wait(), self.config.flush_interval_s)
            self._flush_now.clear()
            try:
                await self._flush()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("could not record broadcast results; will retry")

    def _maybe_progress(self, run: _Run) -> None:
        row = run.row
        if row.status_chat is None or row.status_message is None:
            return
        is_group = row.status_chat < 0
        interval = (self.config.group_progress_interval_s if is_group
                    else self.config.progress_interval_s)
        now = self.pacer.clock()
        if now - run.last_progress < interval:
            return
        if self._progress_task is not None and not self._progress_task.done():
            return
        if self.pacer.ready_at(row.status_chat, is_group) > now:
            return
        run.last_progress = now
        self._progress_task = asyncio.create_task(self._progress(run))

    async def _progress(self, run: _Run) -> None:
        try:
            counts = await self.store.counts(run.row.id)
            if counts.remaining == 0:
                return
            rate = self.config.rate
            eta = counts.remaining / rate + self.pacer.paused_for
            await self._edit_status(run.row, counts, eta, wait=False)
        except Exception:
            log.exception("could not update the broadcast status")

    async def _edit_status(self, row: BroadcastRow, counts: Counts, eta: float | None, *,
                           wait: bool) -> None:
        """Edit the status message; edits count against that chat's limits like sends."""
        if row.status_chat is None or row.status_message is None:
            return
        is_group = row.status_chat < 0
        if wait:
            delay = self.pacer.ready_at(row.status_chat, is_group) - self.pacer.clock()
            if delay > 0:
                await asyncio.sleep(delay)
        await self.pacer.slot()
        self.pacer.note(row.status_chat, is_group)
        text, keyboard = self.render_progress(row, counts, eta)
        try:
            await self.post.edit(row.status_chat, row.status_message, text, keyboard)
        except RetryAfter as exc:
            self.pacer.pause(retry_seconds(exc))
        except TelegramError as exc:
            if "not modified" not in str(exc).lower():
                log.info("could not edit the status of broadcast %d: %s", row.id, exc)


def is_final(state: BroadcastState) -> bool:
    """Tell whether a broadcast will not send anything more."""
    return state in (BroadcastState.DONE, BroadcastState.CANCELLED, BroadcastState.DISCARDED)
