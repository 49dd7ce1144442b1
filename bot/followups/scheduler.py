"""Send due reminders: a due-time index in SQLite and one armed JobQueue job, never one per row.

The tick job is armed for the earliest pending due time (bounded by a backstop poll). When it
fires, a few workers each claim one due row (state ``sending``, committed), send it, then
record the result. A row is claimed before it is sent and never claimed again, so it cannot be
sent twice; a row left in ``sending`` by a killed process is marked ``interrupted`` at the next
start and its question is asked again after the snooze delay rather than resent at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ContextTypes, Job

from bot.followups.calendar import quiet_end
from bot.followups.store import FollowupRow, FollowupStore, State
from bot.services import Services
from bot.store.coord import coord_of

log = logging.getLogger(__name__)

JOB_NAME = "followups-tick"
BACKSTOP_NAME = "followups-backstop"


@dataclass(frozen=True)
class Outgoing:
    """A reminder ready to send."""

    chat_id: int
    text: str
    keyboard: InlineKeyboardMarkup | None


# Turns a claimed row into a message, or into the final state it gets without one.
Prepare = Callable[[FollowupRow], Awaitable[Outgoing | State]]


@dataclass
class Tuning:
    """Knobs of the sender (tests and benchmarks shorten them)."""

    workers: int = 8
    idle_poll: float = 60.0
    backstop: float = 30.0
    lookahead: float = 0.05
    max_attempts: int = 6
    backoff_base: float = 5.0
    backoff_cap: float = 600.0


class Scheduler:
    """Arm one job for the next due reminder and deliver what is due."""

    def __init__(self, svc: Services, store: FollowupStore, prepare: Prepare,
                 snooze: Callable[[float], float], tuning: Tuning | None = None) -> None:
        self.svc = svc
        self.store = store
        self.prepare = prepare
        self.snooze = snooze
        self.tuning = tuning or Tuning()
        self.app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._job: Job[Any] | None = None
        self._armed_at: float | None = None
        self._lock = asyncio.Lock()
        self._stopped = True
        self._holder: str | None = None

    # -- life cycle ------------------------------------------------------------------------
    async def start(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Recover rows of a killed process, then arm for whatever is due."""
        self.app = app
        self._stopped = False
        now = self.svc.now()
        coord = coord_of(self.svc)
        if coord is None:
            lost = [r.id for r in await self.store.recover_interrupted(now, self.snooze(now))]
            self._report_lost(lost)
        else:
            # Several processes: only rows of processes that are gone, now and at every
            # heartbeat (a live process's claims are its own).
            self._holder = coord.id
            coord.reapers.append(self._take_over)
            await self._take_over(now)
        if app.job_queue is not None:
            app.job_queue.run_repeating(self._on_job, interval=self.tuning.backstop,
                                        first=self.tuning.backstop, name=BACKSTOP_NAME)
        self.arm(now)

    async def _take_over(self, now: float) -> None:
        coord = coord_of(self.svc)
        if coord is None or self._stopped:
            return
        taken = await coord.take_over_followups(self.svc.now(), self.snooze(self.svc.now()))
        self._report_lost([r.id for r in taken])

    @staticmethod
    def _report_lost(lost: list[int]) -> None:
        if lost:
            log.warning("followups: %d reminders were being sent when their process stopped; "
                        "not resent, asked again later (ids %s)", len(lost),
                        ",".join(str(i) for i in lost[:20]))

    async def stop(self) -> None:
        """Stop arming and wait for a running tick to finish its current rows."""
        self._stopped = True
        coord = coord_of(self.svc)
        if coord is not None and self._take_over in coord.reapers:
            coord.reapers.remove(self._take_over)
        if self._job is not None:
            _remove(self._job)
            self._job = None
        if self.app is not None and self.app.job_queue is not None:
            for job in self.app.job_queue.get_jobs_by_name(BACKSTOP_NAME):
                _remove(job)
        async with self._lock:
            pass

    # -- arming ----------------------------------------------------------------------------
    def arm(self, at: float) -> None:
        """Make sure a tick runs no later than ``at`` (one job, moved earlier if needed)."""
        if self._stopped or self.app is None or self.app.job_queue is None:
            return
        if self._job is not None and self._armed_at is not None and self._armed_at <= at:
            return
        if self._job is not None:
            _remove(self._job)
        delay = max(0.0, at - self.svc.now())
        # A late event loop must not make APScheduler drop the one job that drives sending.
        self._job = self.app.job_queue.run_once(
            self._on_job, when=delay, name=JOB_NAME,
            job_kwargs={"misfire_grace_time": None},
        )
        self._armed_at = at

    async def _on_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.job is not None and context.job is self._job:
            self._job = None
            self._armed_at = None
        await self.tick()

    # -- sending ---------------------------------------------------------------------------
    async def tick(self) -> int:
        """Send every reminder that is due; return how many were sent."""
        # Ticks run one at a time; rows are claimed in the database either way.
        async with self._lock:
            sent = 0
            try:
                now = self.svc.now()
                ends = quiet_end(now, self.svc.settings.quiet_hours, self.svc.settings.tz)
                if ends is not None:
                    self.arm(ends)
                    return 0
                counts = await asyncio.gather(
                    *(self._worker() for _ in range(self.tuning.workers))
                )
                sent = sum(counts)
            finally:
                if not self._stopped:
                    nxt = await self.store.next_due()
                    now = self.svc.now()
                    bound = now + self.tuning.idle_poll
                    self.arm(bound if nxt is None else min(nxt, bound))
            return sent

    async def _worker(self) -> int:
        sent = 0
        while not self._stopped:
            now = self.svc.now()
            row = await self.store.claim_due(now, now + self.tuning.lookahead, self._holder)
            if row is None:
                return sent
            sent += await self.deliver(row)
        return sent

    async def deliver(self, row: FollowupRow) -> int:
        """Send one claimed reminder and record the result; return 1 when it was sent."""
        try:
            out = await self.prepare(row)
        except Exception as exc:
            log.exception("followup %d: cannot build the message", row.id)
            await self.store.finish(row.id, State.FAILED, self.svc.now(), error=repr(exc))
            return 0
        if isinstance(out, State):
            await self.store.finish(row.id, out, self.svc.now())
            return 0
        assert self.app is not None
        try:
            message = await self.app.bot.send_message(
                out.chat_id, out.text, parse_mode=ParseMode.HTML, reply_markup=out.keyboard,
                disable_web_page_preview=True,
            )
        except Exception as exc:
            await self._failed(row, exc)
            return 0
        await self.store.finish(row.id, State.SENT, self.svc.now(), message_id=message.message_id)
        return 1

    async def _failed(self, row: FollowupRow, exc: Exception) -> None:
        """Decide what a failed send means: pause, retry later, or give up loudly."""
        now = self.svc.now()
        error = f"{type(exc).__name__}: {exc}"[:300]
        if isinstance(exc, Forbidden):
            paused = await self.store.block_user(row.user_id, row.id, now, error)
            log.info("followup %d: user blocked the bot; paused their reminders (%d more)",
                     row.id, paused)
        elif isinstance(exc, RetryAfter):
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            await self.store.retry_at(row.id, now + seconds, error)
            log.warning("followup %d: flood control, retrying in %.0f s", row.id, seconds)
            self.arm(now + seconds)
        elif isinstance(exc, BadRequest | ChatMigrated) or not isinstance(exc, NetworkError):
            await self.store.finish(row.id, State.FAILED, now, error=error)
            log.error("followup %d: not sent, giving up: %s", row.id, error,
                      exc_info=exc if not isinstance(exc, TelegramError) else None)
        elif row.attempts >= self.tuning.max_attempts:
            await self.store.finish(row.id, State.FAILED, now, error=error)
            log.error("followup %d: not sent after %d attempts: %s", row.id, row.attempts,
                      error)
        else:
            delay = min(self.tuning.backoff_cap,
                        self.tuning.backoff_base * 2 ** (row.attempts - 1))
            await self.store.retry_at(row.id, now + delay, error)
            log.warning("followup %d: network error (attempt %d), retrying in %.0f s: %s",
                        row.id, row.attempts, delay, error)
            self.arm(now + delay)


def _remove(job: Job[Any]) -> None:
    """Remove a job that may already have fired (APScheduler then no longer knows it)."""
    with contextlib.suppress(JobLookupError):
        job.schedule_removal()
