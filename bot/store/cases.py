"""Users, cases and case history: the one small interface the handlers use."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.engine.walker import Answers
from bot.store.db import Database, Tx

# Where "amount known / not sure" is kept among a case's answers (step ids never start with _).
AMOUNT_KEY = "_amount"


class CaseStatus(StrEnum):
    """Where a case stands."""

    TRIAGE = "triage"
    PLANNED = "planned"
    CLAIM_SUBMITTED = "claim_submitted"
    ESCALATED = "escalated"
    CLOSED = "closed"


class UserRow(BaseModel):
    """A stored user."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    locale: str
    consent_at: float | None
    current_case: int | None
    created_at: float
    updated_at: float

    @property
    def consented(self) -> bool:
        """Tell whether the user agreed to case data being stored."""
        return self.consent_at is not None


class CaseRow(BaseModel):
    """A stored case; list and dict columns are JSON in SQLite."""

    model_config = ConfigDict(validate_assignment=True)

    id: int
    user_id: int
    status: CaseStatus
    step: str | None
    paused: bool = False
    symptoms: list[str] = Field(default_factory=list)
    emergency_done: list[str] = Field(default_factory=list)
    evidence_done: list[str] = Field(default_factory=list)
    answers: dict[str, str] = Field(default_factory=dict)
    amount: Decimal | None = None
    verdict: str | None = None
    created_at: float
    updated_at: float
    closed_at: float | None = None
    # Bumped by every write; a write names the version it read (optimistic versioning).
    version: int = 0

    @field_validator("symptoms", "emergency_done", "evidence_done", "answers", mode="before")
    @classmethod
    def _json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value

    @property
    def amount_known(self) -> bool | None:
        """True once an amount was given, False when the user said they do not know."""
        if self.amount is not None:
            return True
        return False if self.answers.get(AMOUNT_KEY) == "unknown" else None

    def facts(self) -> Answers:
        """Return what the flow engine needs to evaluate conditions."""
        return Answers(
            symptoms=frozenset(self.symptoms),
            choices={k: v for k, v in self.answers.items() if not k.startswith("_")},
            amount=self.amount,
            amount_known=self.amount_known,
        )


class EventRow(BaseModel):
    """One line of a case's history."""

    id: int
    case_id: int
    at: float
    kind: str
    data: dict[str, Any]

    @field_validator("data", mode="before")
    @classmethod
    def _json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value


_CASE_COLUMNS = (
    "status", "step", "paused", "symptoms", "emergency_done", "evidence_done", "answers",
    "amount", "verdict", "updated_at", "closed_at",
)


def _dump(case: CaseRow, column: str) -> object:
    value = getattr(case, column)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    return value


# A case history row: shared by every writer of case_events (the core store, the follow-ups).
INSERT_EVENT = "INSERT INTO case_events(case_id, at, kind, data) VALUES (?,?,?,?)"


def event_params(case_id: int, now: float, kind: str,
                 data: Mapping[str, Any] | None = None) -> tuple[int, float, str, str]:
    """Return the parameters of INSERT_EVENT, with the data encoded one way everywhere."""
    return (case_id, now, kind, json.dumps(dict(data or {}), ensure_ascii=False, default=str))


# Run inside /delete's transaction with the user's id: remove or anonymise a feature's rows.
Eraser = Callable[[Tx, int], Awaitable[None]]
# Retention of a feature's own rows: (closed_before, idle_before) -> rows handled.
Purger = Callable[[float, float], Awaitable[int]]

# Retention works in small batches with a pause between them, so an interactive reply never
# waits long behind it (see bench/purge_bench.py).
PURGE_BATCH = 200
PURGE_PAUSE_S = 0.005


class CaseConflict(Exception):
    """A case row changed between the read and the write (optimistic versioning)."""

    def __init__(self, case_id: int) -> None:
        super().__init__(f"case {case_id} changed since it was read")
        self.case_id = case_id


@dataclass
class Privacy:
    """What features add to erasure and retention.

    ``erasers`` run inside /delete's transaction; ``in_use`` are SQL queries (one ``?``: the
    user id) that keep an idle user's row while they return a row (an alert subscription);
    ``purgers`` run after the core retention.
    """

    erasers: list[Eraser] = field(default_factory=list)
    in_use: list[str] = field(default_factory=list)
    purgers: list[Purger] = field(default_factory=list)


@dataclass
class PurgeResult:
    """What one retention run removed."""

    cases: int = 0
    users: int = 0
    other: int = 0


class Store:
    """Case storage (SQLite or PostgreSQL); every write is committed before the method returns."""

    purge_batch = PURGE_BATCH
    purge_pause = PURGE_PAUSE_S

    def __init__(self, db: Database) -> None:
        self.db = db
        self.privacy = Privacy()

    async def _fetch(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        """Run a small indexed read (inline on SQLite, see Database.fetch)."""
        return await self.db.fetch(sql, params)

    # users -----------------------------------------------------------------------------
    async def get_user(self, user_id: int) -> UserRow | None:
        """Return a user, or None when nothing is stored for them."""
        rows = await self._fetch("SELECT * FROM users WHERE user_id=?", (user_id,))
        return UserRow.model_validate(dict(rows[0])) if rows else None

    async def set_locale(self, user_id: int, locale: str, now: float) -> None:
        """Store a user's language, creating the user row if needed."""
        await self.db.execute(
            "INSERT INTO users(user_id, locale, created_at, updated_at) VALUES (?,?,?,?) "
            "ON CONFLICT(user_id) DO UPDATE SET locale=excluded.locale, "
            "updated_at=excluded.updated_at",
            (user_id, locale, now, now),
        )

    async def give_consent(self, user_id: int, locale: str, now: float) -> None:
        """Record consent to storing case data."""
        await self.db.execute(
            "INSERT INTO users(user_id, locale, consent_at, created_at, updated_at) "
            "VALUES (?,?,?,?,?) ON CONFLICT(user_id) DO UPDATE SET "
            "consent_at=excluded.consent_at, updated_at=excluded.updated_at",
            (user_id, locale, now, now, now),
        )

    async def delete_user(self, user_id: int) -> int:
        """Delete everything stored for a user; return how many cases went with it.

        Rows hanging off the user or their cases go through the foreign keys; features'
        erasers anonymise what must stay (an alert's text, without its author). The WAL is
        then checkpointed so no older page image still holds the deleted rows.
        """
        erasers = list(self.privacy.erasers)

        async def delete(tx: Tx) -> int:
            count = await tx.fetchval("SELECT COUNT(*) FROM cases WHERE user_id=?", (user_id,))
            for erase in erasers:
                await erase(tx, user_id)
            await tx.execute("DELETE FROM cases WHERE user_id=?", (user_id,))
            await tx.execute("DELETE FROM users WHERE user_id=?", (user_id,))
            return int(count)

        count = await self.db.write(delete)
        await self.db.checkpoint()
        return count

    # cases -----------------------------------------------------------------------------
    async def create_case(self, user_id: int, first_step: str, now: float) -> CaseRow:
        """Open a case at the first step and make it the user's current case."""

        async def create(tx: Tx) -> Any:
            row = await tx.fetchone(
                "INSERT INTO cases(user_id, status, step, created_at, updated_at) "
                "VALUES (?,?,?,?,?) RETURNING *",
                (user_id, CaseStatus.TRIAGE.value, first_step, now, now),
            )
            assert row is not None
            await tx.execute(
                "UPDATE users SET current_case=?, updated_at=? WHERE user_id=?",
                (row["id"], now, user_id),
            )
            await tx.execute(INSERT_EVENT, event_params(int(row["id"]), now, "opened"))
            return row

        return CaseRow.model_validate(dict(await self.db.write(create)))

    async def get_case(self, case_id: int) -> CaseRow | None:
        """Return a case by id."""
        rows = await self._fetch("SELECT * FROM cases WHERE id=?", (case_id,))
        return CaseRow.model_validate(dict(rows[0])) if rows else None

    async def current_case(self, user: UserRow) -> CaseRow | None:
        """Return the user's current case, if it still exists."""
        return await self.get_case(user.current_case) if user.current_case else None

    async def list_cases(self, user_id: int) -> list[CaseRow]:
        """Return a user's cases, newest first."""
        rows = await self._fetch("SELECT * FROM cases WHERE user_id=? ORDER BY id DESC", (user_id,))
        return [CaseRow.model_validate(dict(r)) for r in rows]

    async def set_current(self, user_id: int, case_id: int, now: float) -> None:
        """Make a case the user's current one."""
        await self.db.execute(
            "UPDATE users SET current_case=?, updated_at=? WHERE user_id=?",
            (case_id, now, user_id),
        )

    async def save_case(
        self, case: CaseRow, now: float, event: str | None = None, **data: Any
    ) -> None:
        """Write a case back, with an optional history event, in one transaction."""
        await self.save_case_events(case, now, [(event, data)] if event else [])

    async def save_case_events(
        self, case: CaseRow, now: float, events: Sequence[tuple[str, Mapping[str, Any]]]
    ) -> None:
        """Write a case back with its new history events, all in one transaction."""
        case.updated_at = now
        values = [_dump(case, c) for c in _CASE_COLUMNS]
        assignments = ", ".join(f"{c}=?" for c in _CASE_COLUMNS)
        rows = [event_params(case.id, now, kind, data) for kind, data in events]

        async def save(tx: Tx) -> None:
            changed = await tx.execute(
                f"UPDATE cases SET {assignments}, version=version+1 WHERE id=? AND version=?",
                (*values, case.id, case.version),
            )
            if changed != 1:
                # Changed (or deleted) since it was read, by another update handled elsewhere:
                # nothing is written; the update is handled again on the fresh row.
                raise CaseConflict(case.id)
            await tx.executemany(INSERT_EVENT, rows)

        await self.db.write(save)
        case.version += 1

    async def add_event(self, case_id: int, kind: str, now: float, **data: Any) -> None:
        """Append a history line to a case."""
        row = event_params(case_id, now, kind, data)
        await self.db.execute(INSERT_EVENT, row)

    async def close_case(self, case: CaseRow, now: float, **data: Any) -> None:
        """Close a case (it leaves /case and its reminders stop), recording why."""
        case.status = CaseStatus.CLOSED
        case.closed_at = now
        case.paused = False
        await self.save_case_events(case, now, [("closed", data)])

    async def delete_case(self, case: CaseRow) -> None:
        """Delete one case and everything that hangs off it (history, reminders, files' rows)."""

        async def delete(tx: Tx) -> None:
            await tx.execute("DELETE FROM cases WHERE id=?", (case.id,))
            await tx.execute(
                "UPDATE users SET current_case=NULL WHERE user_id=? AND current_case=?",
                (case.user_id, case.id))

        await self.db.write(delete)
        await self.db.checkpoint()

    async def close_abandoned(self, idle_before: float, now: float) -> list[int]:
        """Close cases left in triage since ``idle_before`` (a half-finished case stays
        "in triage" forever otherwise); return their ids."""

        async def close(tx: Tx) -> list[int]:
            ids = [int(r[0]) for r in await tx.fetch(
                "SELECT id FROM cases WHERE status=? AND closed_at IS NULL AND updated_at<? "
                "LIMIT 500", (CaseStatus.TRIAGE.value, idle_before))]
            for case_id in ids:
                await tx.execute("UPDATE cases SET status=?, closed_at=?, paused=0, "
                                 "version=version+1 WHERE id=?",
                                 (CaseStatus.CLOSED.value, now, case_id))
                await tx.execute(INSERT_EVENT, event_params(case_id, now, "closed",
                                                            {"reason": "abandoned"}))
            return ids

        return await self.db.write(close)

    async def events(self, case_id: int) -> list[EventRow]:
        """Return a case's history, oldest first."""
        rows = await self._fetch("SELECT * FROM case_events WHERE case_id=? ORDER BY id",
                                 (case_id,))
        return [EventRow.model_validate(dict(r)) for r in rows]

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Return everything stored about a user, for the export command."""
        user = await self.get_user(user_id)
        cases = await self.list_cases(user_id)
        out: dict[str, Any] = {"user": user.model_dump() if user else None, "cases": []}
        for case in cases:
            item = case.model_dump(mode="json")
            item["events"] = [e.model_dump(mode="json") for e in await self.events(case.id)]
            out["cases"].append(item)
        return out

    async def purge_expired(self, closed_before: float, idle_before: float) -> int:
        """Delete cases closed before a time, or untouched since a time; return the count.

        Works in batches of ``purge_batch`` cases (each its own short transaction, found through
        the closed_at and updated_at indexes) with ``purge_pause`` seconds between them.
        """
        batch, pause = self.purge_batch, self.purge_pause
        total = 0
        while True:
            done = await self.db.write(
                lambda tx: _purge_cases(tx, closed_before, idle_before, batch)
            )
            total += done
            if done < batch:
                return total
            await asyncio.sleep(pause)

    async def purge_users(self, idle_before: float) -> int:
        """Delete users untouched since a time who have no case left and nothing in use."""
        batch, pause = self.purge_batch, self.purge_pause
        keep = "".join(f" AND NOT EXISTS ({sql})" for sql in self.privacy.in_use)
        uses = len(self.privacy.in_use)
        after: tuple[float, int] = (float("-inf"), -(2**63))
        total = 0
        while True:
            done, nxt = await self.db.write(
                partial(_purge_users, idle_before=idle_before, after=after, limit=batch,
                        keep=keep, uses=uses)
            )
            total += done
            if nxt is None:
                return total
            after = nxt
            await asyncio.sleep(pause)

    async def retention(self, closed_before: float, idle_before: float) -> PurgeResult:
        """Run the whole retention: cases, idle users, then every feature's purger."""
        result = PurgeResult()
        result.cases = await self.purge_expired(closed_before, idle_before)
        result.users = await self.purge_users(closed_before)
        for purge in self.privacy.purgers:
            result.other += await purge(closed_before, idle_before)
        if result.cases or result.users or result.other:
            await self.db.checkpoint()
        return result


async def _purge_cases(tx: Tx, closed_before: float, idle_before: float, limit: int) -> int:
    """Delete up to ``limit`` expired cases and clear them as users' current case."""
    rows = await tx.fetch(
        "SELECT id, user_id FROM cases WHERE closed_at IS NOT NULL AND closed_at < ? "
        "ORDER BY closed_at LIMIT ?", (closed_before, limit),
    )
    if len(rows) < limit:
        seen = {int(r[0]) for r in rows}
        rows += [
            r for r in await tx.fetch(
                "SELECT id, user_id FROM cases WHERE updated_at < ? ORDER BY updated_at LIMIT ?",
                (idle_before, limit),
            ) if int(r[0]) not in seen
        ][: limit - len(rows)]
    if not rows:
        return 0
    await tx.executemany("DELETE FROM cases WHERE id=?", [(r[0],) for r in rows])
    await tx.executemany(
        "UPDATE users SET current_case=NULL WHERE user_id=? AND current_case=?",
        [(r[1], r[0]) for r in rows],
    )
    return len(rows)


async def _purge_users(tx: Tx, idle_before: float, after: tuple[float, int],
                       limit: int, keep: str, uses: int) -> tuple[int, tuple[float, int] | None]:
    """Delete the unused users among the next ``limit`` idle ones; return (count, cursor)."""
    rows = await tx.fetch(
        "SELECT user_id, updated_at FROM users WHERE updated_at < ? "
        "AND (updated_at, user_id) > (?, ?) ORDER BY updated_at, user_id LIMIT ?",
        (idle_before, after[0], after[1], limit),
    )
    if not rows:
        return 0, None
    gone = [
        (int(r[0]),) for r in rows
        if await tx.fetchone(
            "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM cases WHERE user_id=?)" + keep,
            (r[0],) * (1 + uses),
        )
    ]
    await tx.executemany("DELETE FROM users WHERE user_id=?", gone)
    last = rows[-1]
    return len(gone), (float(last[1]), int(last[0]))
