"""Subscribers, groups, broadcasts and deliveries."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from bot.store.cases import Privacy
from bot.store.db import Database, Tx

# Broadcast set-up and compaction work in batches of this many recipients, each its own short
# transaction, with a pause between them: no reply waits long behind a 1M-recipient broadcast.
SETUP_BATCH = 2000
COMPACT_BATCH = 2000
BATCH_PAUSE_S = 0.005
COUNT_CHUNK = 50_000


class BroadcastState(StrEnum):
    """Where a broadcast stands."""

    DRAFT = "draft"
    DISCARDED = "discarded"
    PREPARING = "preparing"  # Send pressed; delivery rows are being written in batches
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"


class DeliveryState(StrEnum):
    """Where one recipient's delivery stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"


OPEN_STATES = (DeliveryState.PENDING.value, DeliveryState.SENDING.value)


class BroadcastRow(BaseModel):
    """A stored alert and its run."""

    model_config = ConfigDict(frozen=True)

    id: int
    author_id: int
    origin_chat: int
    locale: str
    body: str
    state: BroadcastState
    created_at: float
    started_at: float | None
    finished_at: float | None
    status_chat: int | None
    status_message: int | None
    total: int
    resumed_inflight: int


class DeliveryRow(BaseModel):
    """One recipient of a broadcast."""

    model_config = ConfigDict(frozen=True)

    broadcast_id: int
    chat_id: int
    is_group: bool
    locale: str
    attempts: int


class GroupRow(BaseModel):
    """A group the bot is (or was) in."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    alerts_on: bool
    gone: bool


@dataclass(frozen=True)
class Counts:
    """Delivery figures of one broadcast."""

    total: int = 0
    pending: int = 0
    sending: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    unknown: int = 0
    cancelled: int = 0

    @property
    def remaining(self) -> int:
        """Return how many deliveries are not final yet."""
        return self.pending + self.sending


@dataclass(frozen=True)
class Outcome:
    """The result of one send attempt, written back in a batch."""

    broadcast_id: int
    chat_id: int
    state: DeliveryState
    attempts: int
    not_before: float = 0.0
    error: str | None = None
    is_group: bool = False
    skip: bool = False


class AlertStore:
    """Alert storage; every write is committed before the method returns."""

    setup_batch = SETUP_BATCH
    compact_batch = COMPACT_BATCH
    batch_pause = BATCH_PAUSE_S

    def __init__(self, db: Database) -> None:
        self.db = db
        # Broadcasts this process is setting up right now (others left in PREPARING by a
        # crash are finished by ``running``).
        self._preparing: set[int] = set()

    # privacy ---------------------------------------------------------------------------
    def attach(self, privacy: Privacy) -> None:
        """Take part in /delete and retention."""
        privacy.erasers.append(erase_user)
        privacy.in_use.append("SELECT 1 FROM alert_subscribers WHERE user_id=?")
        privacy.purgers.append(self.retention)

    async def retention(self, closed_before: float, idle_before: float) -> int:
        """Compact finished broadcasts, anonymise old ones, drop old drafts; return rows done."""
        finished = [int(r[0]) for r in await self.db.fetch(
            "SELECT id FROM alert_broadcasts b WHERE state IN (?,?) AND (summary IS NULL "
            "OR EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.broadcast_id=b.id)) "
            # Sends of a stopped broadcast may still be landing: wait for them (or, after a
            # crash, for the retention period).
            "AND (finished_at < ? OR NOT EXISTS (SELECT 1 FROM alert_deliveries d "
            "WHERE d.broadcast_id=b.id AND d.state=?))",
            (BroadcastState.DONE.value, BroadcastState.CANCELLED.value, closed_before,
             DeliveryState.SENDING.value),
        )]
        done = 0
        for broadcast_id in finished:
            done += await self.compact(broadcast_id)
        async with self.db.transaction() as conn:
            done += await conn.execute(
                "DELETE FROM alert_broadcasts WHERE created_at < ? AND state IN (?,?)",
                (closed_before, BroadcastState.DRAFT.value, BroadcastState.DISCARDED.value),
            )
            done += await conn.execute(
                "UPDATE alert_broadcasts SET author_id=0, "
                "origin_chat=CASE WHEN origin_chat>0 THEN 0 ELSE origin_chat END, "
                "status_chat=NULL, status_message=NULL "
                "WHERE created_at < ? AND state IN (?,?) "
                "AND (author_id<>0 OR origin_chat>0 OR status_chat IS NOT NULL)",
                (closed_before, BroadcastState.DONE.value, BroadcastState.CANCELLED.value),
            )
        return done

    async def compact(self, broadcast_id: int) -> int:
        """Fold a finished broadcast's delivery rows into its summary, in batches.

        Each batch adds its rows' states to the summary and deletes them in one transaction,
        so ``counts`` is right at every moment. Returns how many rows were removed.
        """
        batch, pause = self.compact_batch, self.batch_pause
        total = 0
        while True:
            async with self.db.transaction() as conn:
                rows = await conn.fetch(
                    "SELECT chat_id, state FROM alert_deliveries WHERE broadcast_id=? "
                    "ORDER BY chat_id LIMIT ?", (broadcast_id, batch),
                )
                summary = await _summary(conn, broadcast_id)
                for row in rows:
                    # Left open by a crash while the broadcast was being stopped: never sent.
                    state = DeliveryState.CANCELLED.value if row[1] in OPEN_STATES else str(row[1])
                    summary[state] = summary.get(state, 0) + 1
                if rows:
                    await conn.execute(
                        "DELETE FROM alert_deliveries WHERE broadcast_id=? AND chat_id BETWEEN ? "
                        "AND ?", (broadcast_id, rows[0][0], rows[-1][0]),
                    )
                await conn.execute(
                    "UPDATE alert_broadcasts SET summary=? WHERE id=?",
                    (json.dumps(summary), broadcast_id),
                )
            total += len(rows)
            if len(rows) < batch:
                return total
            await asyncio.sleep(pause)

    # subscribers -----------------------------------------------------------------------
    async def subscribe(self, user_id: int, locale: str, now: float) -> bool:
        """Subscribe a user (creating their users row); return False if already subscribed."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users(user_id, locale, created_at, updated_at) VALUES (?,?,?,?) "
                "ON CONFLICT(user_id) DO NOTHING",
                (user_id, locale, now, now),
            )
            return await conn.execute(
                "INSERT INTO alert_subscribers(user_id, created_at) VALUES (?,?) "
                "ON CONFLICT(user_id) DO NOTHING",
                (user_id, now),
            ) > 0

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Return a user's subscription for /export."""
        row = await self.db.fetchone(
            "SELECT created_at FROM alert_subscribers WHERE user_id=?", (user_id,)
        )
        written = [dict(r) for r in await self.db.fetch(
            "SELECT id, body, state, created_at, started_at, finished_at, total "
            "FROM alert_broadcasts WHERE author_id=? ORDER BY id", (user_id,),
        )]
        return {"alert_subscription": {"subscribed": row is not None,
                                       "since": row[0] if row else None},
                "alerts_written": written}

    async def unsubscribe(self, user_id: int) -> bool:
        """Remove a subscription; return False if there was none."""
        async with self.db.transaction() as conn:
            return await conn.execute(
                "DELETE FROM alert_subscribers WHERE user_id=?", (user_id,)) > 0

    async def is_subscribed(self, user_id: int) -> bool:
        """Tell whether a user is subscribed."""
        return await self.db.fetchone(
            "SELECT 1 FROM alert_subscribers WHERE user_id=?", (user_id,)
        ) is not None

    async def subscriber_count(self) -> int:
        """Return the number of subscribed users."""
        return int(await self.db.fetchval("SELECT COUNT(*) FROM alert_subscribers") or 0)

    # groups ----------------------------------------------------------------------------
    async def group(self, chat_id: int) -> GroupRow | None:
        """Return a registered group."""
        row = await self.db.fetchone(
            "SELECT chat_id, alerts_on, gone FROM alert_groups WHERE chat_id=?", (chat_id,)
        )
        return GroupRow.model_validate(dict(row)) if row else None

    async def register_group(self, chat_id: int, now: float) -> None:
        """Record that the bot is in a group (alerts keep their previous switch, off if new)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alert_groups(chat_id, created_at, updated_at) VALUES (?,?,?) "
                "ON CONFLICT(chat_id) DO UPDATE SET gone=0, updated_at=excluded.updated_at",
                (chat_id, now, now),
            )

    async def group_gone(self, chat_id: int, now: float) -> None:
        """Mark a group as left: no more alerts go there."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_groups SET gone=1, updated_at=? WHERE chat_id=?", (now, chat_id)
            )

    async def set_group_alerts(self, chat_id: int, on: bool, now: float) -> None:
        """Turn alerts for a group on or off (registering it if needed)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alert_groups(chat_id, alerts_on, created_at, updated_at) "
                "VALUES (?,?,?,?) ON CONFLICT(chat_id) DO UPDATE SET "
                "alerts_on=excluded.alerts_on, gone=0, updated_at=excluded.updated_at",
                (chat_id, int(on), now, now),
            )

    async def group_count(self) -> int:
        """Return the number of groups that receive alerts."""
        return int(await self.db.fetchval(
            "SELECT COUNT(*) FROM alert_groups WHERE alerts_on=1 AND gone=0"
        ) or 0)

    async def migrate_group(self, old_id: int, new_id: int, now: float) -> None:
        """Move a group to its new supergroup id, keeping its switch."""
        async with self.db.transaction() as conn:
            await self._migrate_group(conn, old_id, new_id, now)

    @staticmethod
    async def _migrate_group(conn: Tx, old_id: int, new_id: int,
                             now: float) -> None:
        await conn.execute(
            "INSERT INTO alert_groups(chat_id, alerts_on, gone, created_at, updated_at) "
            "SELECT CAST(? AS BIGINT), alerts_on, 0, created_at, CAST(? AS DOUBLE PRECISION) "
            "FROM alert_groups WHERE chat_id=? "
            "ON CONFLICT(chat_id) DO UPDATE SET alerts_on=excluded.alerts_on, gone=0, "
            "updated_at=excluded.updated_at",
            (new_id, now, old_id),
        )
        await conn.execute("DELETE FROM alert_groups WHERE chat_id=?", (old_id,))

    # broadcasts ------------------------------------------------------------------------
    async def create_draft(self, author_id: int, origin_chat: int, locale: str, body: str,
                           now: float) -> BroadcastRow:
        """Store an alert awaiting the author's Send (``locale``: the author's language)."""
        async with self.db.transaction() as conn:
            broadcast_id = int(await conn.fetchval(
                "INSERT INTO alert_broadcasts(author_id, origin_chat, locale, body, state, "
                "created_at) VALUES (?,?,?,?,?,?) RETURNING id",
                (author_id, origin_chat, locale, body, BroadcastState.DRAFT.value, now),
            ))
        row = await self.broadcast(broadcast_id)
        assert row is not None
        return row

    async def broadcast(self, broadcast_id: int) -> BroadcastRow | None:
        """Return a broadcast by id."""
        row = await self.db.fetchone(
            "SELECT * FROM alert_broadcasts WHERE id=?", (broadcast_id,)
        )
        return BroadcastRow.model_validate(dict(row)) if row else None

    async def recent(self, limit: int, author_id: int | None = None,
                     states: Sequence[BroadcastState] = (
                         BroadcastState.RUNNING, BroadcastState.DONE, BroadcastState.CANCELLED,
                     )) -> list[BroadcastRow]:
        """Return recent started broadcasts, newest first (optionally one author's)."""
        marks = ",".join("?" for _ in states)
        sql = f"SELECT * FROM alert_broadcasts WHERE state IN ({marks})"
        args: list[object] = [s.value for s in states]
        if author_id is not None:
            sql += " AND author_id=?"
            args.append(author_id)
        sql += " ORDER BY id DESC LIMIT ?"
        args.append(limit)
        rows = await self.db.fetch(sql, args)
        return [BroadcastRow.model_validate(dict(r)) for r in rows]

    async def started_since(self, author_id: int, since: float) -> int:
        """Count the broadcasts an author started since a time (the per-hour limit)."""
        return int(await self.db.fetchval(
            "SELECT COUNT(*) FROM alert_broadcasts WHERE author_id=? AND started_at>=?",
            (author_id, since),
        ) or 0)

    async def discard(self, broadcast_id: int) -> bool:
        """Drop a draft; return False if it was no longer a draft."""
        async with self.db.transaction() as conn:
            return await conn.execute(
                "UPDATE alert_broadcasts SET state=? WHERE id=? AND state=?",
                (BroadcastState.DISCARDED.value, broadcast_id, BroadcastState.DRAFT.value),
            ) > 0

    async def start(self, broadcast_id: int, now: float, status_chat: int,
                    status_message: int, default_locale: str) -> int | None:
        """Turn a draft into a running broadcast with one row per recipient; return the total.

        None means the broadcast was no longer a draft (pressed twice, or discarded). The rows
        are written in batches of SETUP_BATCH subscribers, each its own short transaction,
        while the broadcast is PREPARING (the sender does not see it); the last step counts
        them and makes it RUNNING. A crash in between is finished by ``running``.
        """
        async with self.db.transaction() as conn:
            changed = await conn.execute(
                "UPDATE alert_broadcasts SET state=?, started_at=?, status_chat=?, "
                "status_message=? WHERE id=? AND state=?",
                (BroadcastState.PREPARING.value, now, status_chat, status_message,
                 broadcast_id, BroadcastState.DRAFT.value),
            )
            if changed == 0:
                return None
        self._preparing.add(broadcast_id)
        try:
            return await self._prepare(broadcast_id, default_locale)
        finally:
            self._preparing.discard(broadcast_id)

    async def _prepare(self, broadcast_id: int, default_locale: str) -> int:
        """Write the delivery rows of a PREPARING broadcast (resumable), then run it."""
        batch, pause = self.setup_batch, self.batch_pause
        last = await self.db.fetchval(
            "SELECT MAX(chat_id) FROM alert_deliveries WHERE broadcast_id=? AND is_group=0",
            (broadcast_id,),
        )
        after = int(last) if last is not None else -(2**63)
        while True:
            async with self.db.transaction() as conn:
                rows = [(int(r[0]), str(r[1])) for r in await conn.fetch(
                    "SELECT s.user_id, COALESCE(u.locale, ?) FROM alert_subscribers s "
                    "LEFT JOIN users u ON u.user_id = s.user_id WHERE s.user_id > ? "
                    "ORDER BY s.user_id LIMIT ?", (default_locale, after, batch),
                )]
                await conn.executemany(
                    "INSERT INTO alert_deliveries(broadcast_id, chat_id, user_id, "
                    "is_group, locale) VALUES (?,?,?,0,?) ON CONFLICT DO NOTHING",
                    [(broadcast_id, uid, uid, locale) for uid, locale in rows],
                )
            if len(rows) < batch:
                break
            after = rows[-1][0]
            await asyncio.sleep(pause)
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alert_deliveries(broadcast_id, chat_id, user_id, is_group, locale) "
                "SELECT CAST(? AS BIGINT), chat_id, CAST(NULL AS BIGINT), 1, CAST(? AS TEXT) "
                "FROM alert_groups WHERE alerts_on=1 AND gone=0 ON CONFLICT DO NOTHING",
                (broadcast_id, default_locale),
            )
            await conn.execute(
                "UPDATE alert_broadcasts SET state=? WHERE id=? AND state=?",
                (BroadcastState.RUNNING.value, broadcast_id, BroadcastState.PREPARING.value),
            )
        # Counted outside the write lock: nothing adds rows to a running broadcast.
        total = sum((await self._row_counts(broadcast_id)).values())
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_broadcasts SET total=? WHERE id=?", (total, broadcast_id)
            )
        return total

    async def cancel(self, broadcast_id: int, now: float) -> bool:
        """Stop a running broadcast: pending deliveries are cancelled; False if not running.

        The state changes at once (the sender stops claiming); the pending rows are then
        cancelled in batches, so stopping a 1M-recipient broadcast stalls nobody.
        """
        async with self.db.transaction() as conn:
            changed = await conn.execute(
                "UPDATE alert_broadcasts SET state=?, finished_at=? WHERE id=? AND state=?",
                (BroadcastState.CANCELLED.value, now, broadcast_id,
                 BroadcastState.RUNNING.value),
            )
            if changed == 0:
                return False
        await self._cancel_rows(broadcast_id, (DeliveryState.PENDING.value,))
        return True

    async def cancel_leftovers(self, broadcast_id: int) -> None:
        """Cancel rows of a stopped broadcast that a retry put back to pending."""
        await self._cancel_rows(broadcast_id, OPEN_STATES)

    async def _cancel_rows(self, broadcast_id: int, states: Sequence[str]) -> None:
        """Mark a broadcast's rows in ``states`` cancelled, ``setup_batch`` rows at a time."""
        marks = ",".join("?" for _ in states)
        batch = self.setup_batch
        while True:
            async with self.db.transaction() as conn:
                done = await conn.execute(
                    "UPDATE alert_deliveries SET state=? WHERE broadcast_id=? AND chat_id IN ("
                    "SELECT chat_id FROM alert_deliveries WHERE broadcast_id=? "
                    f"AND state IN ({marks}) LIMIT ?)",
                    (DeliveryState.CANCELLED.value, broadcast_id, broadcast_id, *states, batch),
                )
            if done < batch:
                return
            await asyncio.sleep(self.batch_pause)

    async def finish(self, broadcast_id: int, now: float) -> bool:
        """Mark a running broadcast done; False if it was not running."""
        async with self.db.transaction() as conn:
            return await conn.execute(
                "UPDATE alert_broadcasts SET state=?, finished_at=? WHERE id=? AND state=?",
                (BroadcastState.DONE.value, now, broadcast_id, BroadcastState.RUNNING.value),
            ) > 0

    async def running(self) -> list[BroadcastRow]:
        """Return the running broadcasts, oldest first.

        A broadcast a crash left PREPARING gets the rest of its rows written first.
        """
        leftovers = [(int(r[0]), str(r[1])) for r in await self.db.fetch(
            "SELECT id, locale FROM alert_broadcasts WHERE state=? ORDER BY id",
            (BroadcastState.PREPARING.value,),
        ) if int(r[0]) not in self._preparing]
        for broadcast_id, locale in leftovers:
            self._preparing.add(broadcast_id)
            try:
                await self._prepare(broadcast_id, locale)
            finally:
                self._preparing.discard(broadcast_id)
        rows = await self.db.fetch(
            "SELECT * FROM alert_broadcasts WHERE state=? ORDER BY id",
            (BroadcastState.RUNNING.value,),
        )
        return [BroadcastRow.model_validate(dict(r)) for r in rows]

    async def counts(self, broadcast_id: int) -> Counts:
        """Return the delivery figures of a broadcast."""
        by_state = await self._row_counts(broadcast_id)
        # Compaction moves rows into the summary while a finished broadcast is counted: the
        # figures may be off by a batch for that moment, never for a running broadcast.
        summary = await self.db.fetchval(
            "SELECT summary FROM alert_broadcasts WHERE id=?", (broadcast_id,)
        )
        for state, n in (json.loads(summary) if summary else {}).items():
            by_state[state] = by_state.get(state, 0) + int(n)
        return Counts(total=sum(by_state.values()),
                      **{s.value: by_state.get(s.value, 0) for s in DeliveryState})

    async def _row_counts(self, broadcast_id: int) -> dict[str, int]:
        """Count a broadcast's delivery rows by state, COUNT_CHUNK rows per statement.

        One GROUP BY over a million rows holds the shared connection for ~100 ms; chunks along
        the primary key keep each statement to a few milliseconds.
        """
        by_state: dict[str, int] = {}
        after = -(2**63)
        while True:
            rows = await self.db.fetch(
                "SELECT state, COUNT(*), MAX(chat_id) FROM (SELECT state, chat_id FROM "
                "alert_deliveries WHERE broadcast_id=? AND chat_id>? ORDER BY chat_id LIMIT ?) "
                "AS chunk GROUP BY state", (broadcast_id, after, COUNT_CHUNK),
            )
            for row in rows:
                by_state[str(row[0])] = by_state.get(str(row[0]), 0) + int(row[1])
            if sum(int(r[1]) for r in rows) < COUNT_CHUNK:
                return by_state
            after = max(int(r[2]) for r in rows)

    # the sender's side -----------------------------------------------------------------
    async def reclaim_inflight(self, broadcast_id: int) -> int:
        """After a restart, put claimed rows back to pending; return how many there were.

        Each of them may or may not have been sent before the process died.
        """
        async with self.db.transaction() as conn:
            count = await conn.execute(
                "UPDATE alert_deliveries SET state=? WHERE broadcast_id=? AND state=?",
                (DeliveryState.PENDING.value, broadcast_id, DeliveryState.SENDING.value),
            )
            if count:
                await conn.execute(
                    "UPDATE alert_broadcasts SET resumed_inflight=resumed_inflight+? WHERE id=?",
                    (count, broadcast_id),
                )
        return count

    async def claim(self, broadcast_id: int, now: float, limit: int,
                    holder: str | None = None) -> list[DeliveryRow]:
        """Mark up to ``limit`` due pending rows as sending by ``holder`` (an instance id,
        committed) and return them: one conditional UPDATE, so with several processes each
        row goes to one of them.

        The spelling differs by dialect: on PostgreSQL an ``IN (SELECT … LIMIT n)`` sub-query
        may be run again during the update and claim more than ``n`` rows, so the candidates
        are picked once in a materialized CTE with ``FOR UPDATE SKIP LOCKED`` (instances
        claiming at once take different rows); SQLite runs one writer at a time.
        """
        pending, sending = DeliveryState.PENDING.value, DeliveryState.SENDING.value
        if self.db.dialect == "postgresql":
            sql = ("WITH picked AS MATERIALIZED (SELECT broadcast_id, chat_id "
                   "FROM alert_deliveries WHERE broadcast_id=? AND state=? AND not_before<=? "
                   "LIMIT ? FOR UPDATE SKIP LOCKED) "
                   "UPDATE alert_deliveries d SET state=?, claimed_by=? FROM picked "
                   "WHERE d.broadcast_id=picked.broadcast_id AND d.chat_id=picked.chat_id "
                   "RETURNING d.broadcast_id, d.chat_id, d.is_group, d.locale, d.attempts")
            params: tuple[object, ...] = (broadcast_id, pending, now, limit, sending, holder)
        else:
            sql = ("UPDATE alert_deliveries SET state=?, claimed_by=? WHERE broadcast_id=? "
                   "AND state=? AND chat_id IN (SELECT chat_id FROM alert_deliveries "
                   "WHERE broadcast_id=? AND state=? AND not_before<=? LIMIT ?) "
                   "RETURNING broadcast_id, chat_id, is_group, locale, attempts")
            params = (sending, holder, broadcast_id, pending, broadcast_id, pending, now, limit)
        async with self.db.transaction() as tx:
            return [DeliveryRow.model_validate(dict(r)) for r in await tx.fetch(sql, params)]

    async def next_due(self, broadcast_id: int) -> float | None:
        """Return the earliest not_before of the pending rows, or None if none are pending."""
        due = await self.db.fetchval(
            "SELECT MIN(not_before) FROM alert_deliveries WHERE broadcast_id=? AND state=?",
            (broadcast_id, DeliveryState.PENDING.value),
        )
        return None if due is None else float(due)

    async def record(self, outcomes: Iterable[Outcome], now: float) -> None:
        """Write a batch of send results; unsubscribe users and groups that blocked the bot."""
        items = list(outcomes)
        if not items:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(
                "UPDATE alert_deliveries SET state=?, attempts=?, not_before=?, error=? "
                "WHERE broadcast_id=? AND chat_id=?",
                [(o.state.value, o.attempts, o.not_before, o.error, o.broadcast_id, o.chat_id)
                 for o in items],
            )
            blocked = [o for o in items if o.state is DeliveryState.BLOCKED]
            await conn.executemany(
                "DELETE FROM alert_subscribers WHERE user_id=?",
                [(o.chat_id,) for o in blocked if not o.is_group],
            )
            await conn.executemany(
                "UPDATE alert_groups SET gone=1, updated_at=? WHERE chat_id=?",
                [(now, o.chat_id) for o in blocked if o.is_group],
            )

    async def move_delivery(self, broadcast_id: int, old_id: int, new_id: int,
                            now: float) -> bool:
        """Point a group's delivery and registration at its new supergroup id.

        Returns False when the new id already has its own delivery row (the old one is dropped,
        so the group still gets the alert exactly once).
        """
        async with self.db.transaction() as conn:
            await self._migrate_group(conn, old_id, new_id, now)
            exists = await conn.fetchone(
                "SELECT 1 FROM alert_deliveries WHERE broadcast_id=? AND chat_id=?",
                (broadcast_id, new_id),
            ) is not None
            if exists:
                await conn.execute(
                    "DELETE FROM alert_deliveries WHERE broadcast_id=? AND chat_id=?",
                    (broadcast_id, old_id),
                )
                await conn.execute(
                    "UPDATE alert_broadcasts SET total=total-1 WHERE id=?", (broadcast_id,)
                )
                return False
            await conn.execute(
                "UPDATE alert_deliveries SET chat_id=? WHERE broadcast_id=? AND chat_id=?",
                (new_id, broadcast_id, old_id),
            )
        return True


async def _summary(conn: Tx, broadcast_id: int) -> dict[str, int]:
    """Return the delivery figures already folded into a broadcast's summary."""
    summary = await conn.fetchval(
        "SELECT summary FROM alert_broadcasts WHERE id=?", (broadcast_id,)
    )
    return {str(k): int(v) for k, v in json.loads(summary).items()} if summary else {}


async def erase_user(conn: Tx, user_id: int) -> None:
    """Within /delete: alerts the user wrote keep their text but lose their author.

    Drafts that never went out are deleted; the subscription and the user's delivery rows go
    with the users row (foreign keys). A running broadcast stops editing its status message
    in the user's chat.
    """
    await conn.execute(
        "DELETE FROM alert_broadcasts WHERE author_id=? AND state IN (?,?)",
        (user_id, BroadcastState.DRAFT.value, BroadcastState.DISCARDED.value),
    )
    await conn.execute("UPDATE alert_broadcasts SET author_id=0 WHERE author_id=?", (user_id,))
    await conn.execute("UPDATE alert_broadcasts SET origin_chat=0 WHERE origin_chat=?", (user_id,))
    await conn.execute(
        "UPDATE alert_broadcasts SET status_chat=NULL, status_message=NULL WHERE status_chat=?",
        (user_id,),
    )
    await conn.execute("DELETE FROM alert_deliveries WHERE user_id=?", (user_id,))
