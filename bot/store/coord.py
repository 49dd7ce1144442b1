"""Several bot processes on one database: instances, leases, and claims taken over from the dead.

Every process (``python -m bot run|webhook``) registers a row in ``instances`` with an id that
is new at every start, and renews its lease there every INSTANCE_HEARTBEAT_S. A process whose
lease ran out (INSTANCE_LEASE_S without a heartbeat: killed, frozen, cut off) is *gone*:

* a reminder or a delivery row is claimed with one conditional UPDATE that also writes the
  claimer's id (``claimed_by``); the claim lasts as long as the claimer's lease, so a row is
  taken over only from a process that is gone (reminders become ``interrupted`` and are asked
  again later, delivery rows go back to ``pending``), never from a live one;
* periodic jobs run where a named lease (``leases``) is held: acquired with one
  ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (free, expired, or ours already), renewed by
  the heartbeat;
* the message budget is shared: each process paces at the bot-wide rate divided by the number
  of live processes, and a process joining others waits two heartbeats before it sends, so the
  others have lowered their share first.

The SQL here is portable (SQLite >= 3.35 and PostgreSQL): plain tables, REAL epoch seconds,
``ON CONFLICT``, ``RETURNING``; no SQLite-only syntax.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from bot.store.db import Database

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

COORD_KEY = "coordinator"
# Rows of processes gone for this long are deleted from ``instances``.
FORGET_AFTER_S = 86400.0

# A row claimed by a process that is gone: no live instance has the id in ``claimed_by``
# (NULL: claimed before migration 008, by a single process that has since stopped).
_GONE = ("(claimed_by IS NULL OR NOT EXISTS (SELECT 1 FROM instances i "
         "WHERE i.id = {table}.claimed_by AND i.expires_at >= ?))")

REGISTER = (
    "INSERT INTO instances(id, name, host, pid, started_at, seen_at, expires_at) "
    "VALUES (?,?,?,?,?,?,?) "
    "ON CONFLICT(id) DO UPDATE SET seen_at=excluded.seen_at, expires_at=excluded.expires_at"
)
# Live processes on this host: one whose pid is gone (or is ours: a container restarted) is
# gone at once, without waiting for its lease to run out.
NEIGHBOURS = "SELECT id, pid FROM instances WHERE host=? AND id<>? AND expires_at>=?"
RETIRE = "UPDATE instances SET expires_at=0 WHERE id=?"
RENEW = "UPDATE instances SET seen_at=?, expires_at=? WHERE id=?"
# A restart under the same INSTANCE_ID: the earlier process of that name is gone at once.
RETIRE_NAME = "UPDATE instances SET expires_at=0 WHERE name=? AND id<>? AND expires_at>0"
COUNT_LIVE = "SELECT COUNT(*) FROM instances WHERE expires_at >= ?"
FORGET = "DELETE FROM instances WHERE expires_at < ?"
LEAVE = "DELETE FROM instances WHERE id=?"
ACQUIRE = (
    "INSERT INTO leases(name, holder, until) VALUES (?,?,?) "
    "ON CONFLICT(name) DO UPDATE SET holder=excluded.holder, until=excluded.until "
    "WHERE leases.holder=excluded.holder OR leases.until < ? RETURNING holder"
)
RENEW_LEASES = "UPDATE leases SET until=? WHERE holder=?"
RELEASE_LEASES = "DELETE FROM leases WHERE holder=?"

# Reminders claimed by a process that is gone: unknown whether Telegram got them, so they are
# never resent; the same question is asked again later (see the followups scheduler).
TAKE_OVER_FOLLOWUPS = (
    "UPDATE followups SET state='interrupted', error='process stopped while sending' "
    "WHERE state='sending' AND " + _GONE.format(table="followups")
    + " RETURNING id, case_id, user_id, step"
)
REASK_FOLLOWUP = (
    "INSERT INTO followups(case_id, user_id, step, due_at, state, created_at) "
    "VALUES (?,?,?,?, CASE WHEN EXISTS(SELECT 1 FROM followup_pauses WHERE case_id=?) "
    "THEN 'paused' ELSE 'pending' END, ?)"
)
# Delivery rows of running broadcasts claimed by a process that is gone: sent again.
TAKE_OVER_DELIVERIES = (
    "UPDATE alert_deliveries SET state='pending', claimed_by=NULL "
    "WHERE state='sending' AND broadcast_id IN (SELECT id FROM alert_broadcasts "
    "WHERE state='running') AND " + _GONE.format(table="alert_deliveries")
    + " RETURNING broadcast_id"
)
COUNT_RESUMED = "UPDATE alert_broadcasts SET resumed_inflight=resumed_inflight+? WHERE id=?"
# Rows of a broadcast still being sent by some process (live or not yet found gone).
COUNT_SENDING = "SELECT COUNT(*) FROM alert_deliveries WHERE broadcast_id=? AND state='sending'"

Reaper = Callable[[float], Awaitable[None]]
ShareListener = Callable[[int], None]


class TakenOver(BaseModel):
    """A reminder taken over from a process that is gone."""

    id: int
    case_id: int
    user_id: int
    step: str


class Coordinator:
    """This process's membership: heartbeat, leases, the share of the message budget."""

    def __init__(self, db: Database, *, name: str | None = None, heartbeat_s: float = 1.0,
                 lease_s: float = 10.0, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.named = name is not None
        self.name = name or socket.gethostname()[:48] or "bot"
        self.id = f"{self.name}-{secrets.token_hex(4)}"
        self.host = _host()
        self.pid = os.getpid()
        self.heartbeat_s = heartbeat_s
        self.lease_s = lease_s
        self.clock = clock
        self.live = 1
        self.beats = 0
        self.reapers: list[Reaper] = []
        self._listeners: list[ShareListener] = []
        self._held: set[str] = set()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- life cycle ------------------------------------------------------------------------
    async def start(self) -> None:
        """Register, wait until the others know about us if there are any, start beating."""
        now = self.clock()
        async with self.db.transaction() as conn:
            await conn.execute(REGISTER, self._register_params(now))
            if self.named:
                await conn.execute(RETIRE_NAME, (self.name, self.id))
        await self._retire_dead_neighbours(now)
        live = await self.count_live(now)
        self._set_live(live)
        if live > 1:
            # The others lower their share at their next heartbeat; send nothing before that.
            log.info("instance %s joins %d others; waiting for them to share the budget",
                     self.id, live - 1)
            for _ in range(2):
                await asyncio.sleep(self.heartbeat_s)
                await self._renew()
        log.info("instance %s started (%d live)", self.id, self.live)
        self._task = asyncio.create_task(self._loop(), name="instance-heartbeat")

    async def stop(self) -> None:
        """Stop beating, release the leases and leave (what we claimed is free at once)."""
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        async with self.db.transaction() as conn:
            await conn.execute(RELEASE_LEASES, (self.id,))
            await conn.execute(LEAVE, (self.id,))
        self._held.clear()

    async def _loop(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.heartbeat_s)
            if self._stop.is_set():
                return
            try:
                await self.beat()
            except Exception:
                log.exception("instance heartbeat failed; trying again")

    async def _renew(self) -> int:
        """Renew our lease and our named leases; return how many instances are live."""
        now = self.clock()
        async with self.db.transaction() as conn:
            if await conn.execute(RENEW, (now, now + self.lease_s, self.id)) == 0:
                # Our row was gone (we were silent past the lease and forgotten): come back.
                log.warning("instance %s was taken for gone; registering again", self.id)
                await conn.execute(REGISTER, self._register_params(now))
            if self._held:
                await conn.execute(RENEW_LEASES, (now + self.lease_s, self.id))
            await conn.execute(FORGET, (now - FORGET_AFTER_S,))
        await self._retire_dead_neighbours(now)
        live = await self.count_live(now)
        self._set_live(live)
        return live

    def _register_params(self, now: float) -> tuple[object, ...]:
        return (self.id, self.name, self.host, self.pid, now, now, now + self.lease_s)

    async def _retire_dead_neighbours(self, now: float) -> None:
        rows = [(str(r[0]), int(r[1]))
                for r in await self.db.fetch(NEIGHBOURS, (self.host, self.id, now))]
        dead = [i for i, pid in rows if pid == self.pid or not _pid_alive(pid)]
        if not dead:
            return
        log.info("instances %s on this host stopped; their work is taken over now",
                 ",".join(dead))
        async with self.db.transaction() as conn:
            for instance in dead:
                await conn.execute(RETIRE, (instance,))

    async def beat(self) -> None:
        """One heartbeat: renew, recount the live instances, take over what the gone left."""
        await self._renew()
        self.beats += 1
        now = self.clock()
        for reaper in list(self.reapers):
            try:
                await reaper(now)
            except Exception:
                log.exception("taking over the work of a gone instance failed")

    # -- membership and the budget ---------------------------------------------------------
    async def count_live(self, now: float) -> int:
        """Return how many instances hold a lease now (this one included)."""
        live = await self.db.fetchval(COUNT_LIVE, (now,))
        return max(1, int(live) if live is not None else 1)

    def _set_live(self, live: int) -> None:
        if live == self.live:
            return
        log.info("instance %s: %d live instances share the message budget", self.id, live)
        self.live = live
        for listener in list(self._listeners):
            listener(live)

    def watch(self, listener: ShareListener) -> Callable[[], None]:
        """Call ``listener(live)`` now and whenever the number of live instances changes;
        return a function that stops it."""
        self._listeners.append(listener)
        listener(self.live)

        def unwatch() -> None:
            with contextlib.suppress(ValueError):
                self._listeners.remove(listener)

        return unwatch

    # -- leases ----------------------------------------------------------------------------
    async def hold(self, name: str) -> bool:
        """Take or keep the lease ``name``; True if this process holds it now."""
        now = self.clock()
        async with self.db.transaction() as conn:
            got = await conn.fetchone(ACQUIRE, (name, self.id, now + self.lease_s, now)) is not None
        if got:
            self._held.add(name)
        else:
            self._held.discard(name)
        return got

    def guarded(self, name: str, job: Callable[[Any], Awaitable[None]]
                ) -> Callable[[Any], Awaitable[None]]:
        """Wrap a periodic job so that it runs only in the process holding lease ``name``."""

        async def run(context: Any) -> None:
            if await self.hold(name):
                await job(context)

        return run

    # -- claims taken over -----------------------------------------------------------------
    async def take_over_followups(self, now: float, reask_at: float) -> list[TakenOver]:
        """Mark reminders claimed by gone processes ``interrupted``; ask each again later."""
        async with self.db.transaction() as conn:
            rows = [TakenOver.model_validate(dict(r))
                    for r in await conn.fetch(TAKE_OVER_FOLLOWUPS, (now,))]
            for row in rows:
                await conn.execute(REASK_FOLLOWUP, (row.case_id, row.user_id, row.step,
                                                    reask_at, row.case_id, now))
        return rows

    async def take_over_deliveries(self, now: float) -> dict[int, int]:
        """Put delivery rows claimed by gone processes back to pending; count per broadcast."""
        counts: dict[int, int] = {}
        async with self.db.transaction() as conn:
            for row in await conn.fetch(TAKE_OVER_DELIVERIES, (now,)):
                counts[int(row[0])] = counts.get(int(row[0]), 0) + 1
            for broadcast_id, n in counts.items():
                await conn.execute(COUNT_RESUMED, (n, broadcast_id))
        return counts

    async def sending(self, broadcast_id: int) -> int:
        """Return how many rows of a broadcast are claimed (by any process) right now."""
        count = await self.db.fetchval(COUNT_SENDING, (broadcast_id,))
        return int(count) if count is not None else 0


def coord_of(svc: Services) -> Coordinator | None:
    """Return the process's coordinator (process modes), or None (console, in-process tests)."""
    value = svc.extras.get(COORD_KEY)
    return value if isinstance(value, Coordinator) else None


def _host() -> str:
    """Name this host and PID namespace: only processes that see the same pids compare them
    (two containers sharing a host name, say with host networking, do not)."""
    try:
        namespace = f"/{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        namespace = ""
    return f"{socket.gethostname()[:180]}{namespace}"


def _pid_alive(pid: int) -> bool:
    """Tell whether a process with this id exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
