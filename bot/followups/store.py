"""Follow-up rows: claim, record, cancel, pause; every write in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from bot.store.cases import INSERT_EVENT, CaseStatus, event_params
from bot.store.db import Database, Row, Tx


class State(StrEnum):
    """Where a reminder stands."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


class FollowupRow(BaseModel):
    """One stored reminder."""

    id: int
    case_id: int
    user_id: int
    step: str
    due_at: float
    state: State
    attempts: int
    created_at: float
    claimed_at: float | None = None
    sent_at: float | None = None
    message_id: int | None = None
    answer: str | None = None
    answered_at: float | None = None
    error: str | None = None
    claimed_by: str | None = None


class Pause(StrEnum):
    """Why a case's reminders are paused."""

    USER = "user"
    BLOCKED = "blocked"


def _row(row: Row | None) -> FollowupRow | None:
    return FollowupRow.model_validate(dict(row)) if row else None


class FollowupStore:
    """The follow-ups table behind a small interface."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- reads ---------------------------------------------------------------------------
    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Return a user's reminders for /export."""
        rows = await self.db.fetch(
            "SELECT * FROM followups WHERE user_id=? ORDER BY id", (user_id,)
        )
        return {"followups": [FollowupRow.model_validate(dict(r)).model_dump(mode="json")
                              for r in rows]}

    async def get(self, followup_id: int) -> FollowupRow | None:
        """Return one reminder."""
        return _row(await self.db.fetchone("SELECT * FROM followups WHERE id=?", (followup_id,)))

    async def next_due(self) -> float | None:
        """Return the earliest due time of a pending reminder (one index seek)."""
        due = await self.db.fetchval("SELECT MIN(due_at) FROM followups WHERE state='pending'")
        return float(due) if due is not None else None

    async def of_case(self, case_id: int, states: Iterable[State] = ()) -> list[FollowupRow]:
        """Return a case's reminders (optionally in some states), by due time."""
        wanted = [s.value for s in states]
        sql = "SELECT * FROM followups WHERE case_id=?"
        if wanted:
            sql += f" AND state IN ({','.join('?' * len(wanted))})"
        rows = await self.db.fetch(sql + " ORDER BY due_at, id", (case_id, *wanted))
        return [FollowupRow.model_validate(dict(r)) for r in rows]

    async def pause_reason(self, case_id: int) -> Pause | None:
        """Return why a case's reminders are paused, or None."""
        reason = await self.db.fetchval("SELECT reason FROM followup_pauses WHERE case_id=?",
                                        (case_id,))
        return Pause(reason) if reason is not None else None

    # -- the sender ----------------------------------------------------------------------
    async def claim_due(self, now: float, until: float,
                        holder: str | None = None) -> FollowupRow | None:
        """Mark the earliest reminder due by ``until`` as being sent (by ``holder``, an
        instance id) and return it. The outer ``state='pending'`` makes it a conditional
        claim where another process may take the same row at the same moment; on PostgreSQL
        the candidate is also picked with ``FOR UPDATE SKIP LOCKED``, so two instances
        claiming at once take two different rows instead of one of them coming back empty."""
        skip = " FOR UPDATE SKIP LOCKED" if self.db.dialect == "postgresql" else ""
        async with self.db.transaction() as tx:
            return _row(await tx.fetchone(
                "UPDATE followups SET state='sending', claimed_at=?, claimed_by=?, "
                "attempts=attempts+1 "
                "WHERE id=(SELECT id FROM followups WHERE state='pending' AND due_at<=? "
                f"ORDER BY due_at LIMIT 1{skip}) AND state='pending' RETURNING *",
                (now, holder, until),
            ))

    async def finish(self, followup_id: int, state: State, now: float, *,
                     message_id: int | None = None, error: str | None = None) -> None:
        """Record what happened to a claimed reminder."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE followups SET state=?, sent_at=?, message_id=?, error=? WHERE id=?",
                (state.value, now if state is State.SENT else None, message_id, error,
                 followup_id),
            )

    async def retry_at(self, followup_id: int, due_at: float, error: str) -> None:
        """Put a claimed reminder back in the queue for a later attempt."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE followups SET state='pending', due_at=?, error=? WHERE id=?",
                (due_at, error, followup_id),
            )

    async def recover_interrupted(self, now: float, snooze_due: float) -> list[FollowupRow]:
        """Mark reminders claimed by a process that died as interrupted; re-ask them later.

        Whether Telegram got such a message is unknown, so it is never resent now (no
        duplicate); the same question is asked again at ``snooze_due`` instead (no loss).
        """
        async with self.db.transaction() as conn:
            rows = [FollowupRow.model_validate(dict(r)) for r in await conn.fetch(
                "UPDATE followups SET state='interrupted', error='process stopped while sending' "
                "WHERE state='sending' RETURNING *"
            )]
            for row in rows:
                await _insert(conn, row.case_id, row.user_id, row.step, snooze_due, now)
        return rows

    async def block_user(self, user_id: int, followup_id: int, now: float, error: str) -> int:
        """Pause every case of a user who blocked the bot, this reminder included."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE followups SET state='paused', error=? WHERE id=?", (error, followup_id)
            )
            await conn.execute(
                "INSERT INTO followup_pauses(case_id, at, reason) "
                "SELECT DISTINCT case_id, CAST(? AS DOUBLE PRECISION), CAST(? AS TEXT) "
                "FROM followups WHERE user_id=? AND state IN ('pending','paused') "
                "ON CONFLICT(case_id) DO UPDATE SET reason=excluded.reason, at=excluded.at",
                (now, Pause.BLOCKED.value, user_id),
            )
            return await conn.execute(
                "UPDATE followups SET state='paused' WHERE user_id=? AND state='pending'",
                (user_id,),
            )

    # -- case changes (used inside a transaction by the ladder) --------------------------
    async def pause(self, conn: Tx, case_id: int, reason: Pause,
                    now: float) -> None:
        """Pause a case's pending reminders."""
        await conn.execute(
            "INSERT INTO followup_pauses(case_id, at, reason) VALUES (?,?,?) "
            "ON CONFLICT(case_id) DO UPDATE SET reason=excluded.reason, at=excluded.at",
            (case_id, now, reason.value),
        )
        await conn.execute(
            "UPDATE followups SET state='paused' WHERE case_id=? AND state='pending'", (case_id,)
        )

    async def resume(self, conn: Tx, case_id: int, now: float) -> None:
        """Resume a case's paused reminders; overdue ones fall due now."""
        await conn.execute("DELETE FROM followup_pauses WHERE case_id=?", (case_id,))
        await conn.execute(
            "UPDATE followups SET state='pending', "
            "due_at=CASE WHEN due_at < ? THEN ? ELSE due_at END "
            "WHERE case_id=? AND state='paused'",
            (now, now, case_id),
        )

    async def cancel(self, conn: Tx, case_id: int,
                     steps: Iterable[str] | None = None) -> None:
        """Cancel a case's pending or paused reminders (of some steps, or all)."""
        sql = "UPDATE followups SET state='cancelled' WHERE case_id=? " \
              "AND state IN ('pending','paused')"
        params: list[Any] = [case_id]
        if steps is not None:
            names = list(steps)
            if not names:
                return
            sql += f" AND step IN ({','.join('?' * len(names))})"
            params += names
        await conn.execute(sql, params)

    async def schedule(self, conn: Tx, case_id: int, user_id: int, step: str,
                       due_at: float, now: float) -> None:
        """Insert a reminder (paused if the case's reminders are paused)."""
        await _insert(conn, case_id, user_id, step, due_at, now)

    async def answer(self, conn: Tx, followup_id: int, answer: str,
                     now: float) -> bool:
        """Record the answer to a sent reminder; False when it was already answered.

        A reminder whose send timed out may have reached the user while its retry waits
        (pending) or runs (sending): an answer to that copy counts, and a waiting retry is
        dropped, since the user has the reminder.
        """
        changed = await conn.execute(
            "UPDATE followups SET answer=?, answered_at=?, "
            "state=CASE WHEN state='pending' THEN 'sent' ELSE state END "
            "WHERE id=? AND answer IS NULL "
            "AND (state='sent' OR (state IN ('pending', 'sending') AND attempts>0))",
            (answer, now, followup_id),
        )
        return changed == 1

    async def set_status(self, conn: Tx, case_id: int, status: CaseStatus,
                         now: float, *, emergency_done: list[str] | None = None) -> None:
        """Change a case's status (closing it sets closed_at)."""
        closed = now if status is CaseStatus.CLOSED else None
        await conn.execute(
            "UPDATE cases SET status=?, updated_at=?, closed_at=COALESCE(?, closed_at), "
            "version=version+1 WHERE id=?",
            (status.value, now, closed, case_id),
        )
        if emergency_done is not None:
            await conn.execute(
                "UPDATE cases SET emergency_done=?, version=version+1 WHERE id=?",
                (json.dumps(emergency_done, separators=(",", ":")), case_id),
            )

    async def event(self, conn: Tx, case_id: int, kind: str, now: float,
                    **data: str | int) -> None:
        """Append a history line to a case."""
        await conn.execute(INSERT_EVENT, event_params(case_id, now, kind, data))


async def _insert(conn: Tx, case_id: int, user_id: int, step: str,
                  due_at: float, now: float) -> None:
    await conn.execute(
        "INSERT INTO followups(case_id, user_id, step, due_at, state, created_at) "
        "VALUES (?,?,?,?, CASE WHEN EXISTS(SELECT 1 FROM followup_pauses WHERE case_id=?) "
        "THEN 'paused' ELSE 'pending' END, ?)",
        (case_id, user_id, step, due_at, case_id, now),
    )
