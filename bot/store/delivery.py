"""What the bot still owes users (screens not confirmed by Telegram) and which updates it handled.

Both tables are tiny and indexed; on SQLite statements run inline on the loop thread like the
core store's (see ``Database.fetch``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bot.store.db import Database, Tx

# Handled update ids kept: Telegram redelivers only updates not yet confirmed, i.e. the last
# batch or so before a crash; this is thousands of times that.
KEEP_HANDLED = 100_000
PRUNE_EVERY = 1_000


class OwedKind(StrEnum):
    """Which screen of the user's current case is owed."""

    STEP = "step"
    PLAN = "plan"


class OwedRow(BaseModel):
    """A screen a chat is owed."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    user_id: int
    kind: OwedKind
    at: float


class DeliveryStore:
    """Owed screens and handled update ids."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock
        self._marks = 0

    # owed screens ----------------------------------------------------------------------
    async def owe(self, chat_id: int, user_id: int, kind: OwedKind) -> OwedRow:
        """Record (committed) that a chat is owed a screen; replaces what it was owed before."""
        row = OwedRow(chat_id=chat_id, user_id=user_id, kind=kind, at=self.clock())
        await self.db.execute(
            "INSERT INTO owed_screens(chat_id, user_id, kind, at) VALUES (?,?,?,?) "
            "ON CONFLICT(chat_id) DO UPDATE SET user_id=excluded.user_id, kind=excluded.kind, "
            "at=excluded.at",
            (row.chat_id, row.user_id, row.kind.value, row.at),
        )
        return row

    async def settle(self, row: OwedRow) -> None:
        """Forget an owed screen once delivered (unless something newer is owed since)."""
        await self.db.execute(
            "DELETE FROM owed_screens WHERE chat_id=? AND at=?", (row.chat_id, row.at)
        )

    async def owed_for(self, chat_id: int) -> OwedRow | None:
        """Return what a chat is owed, if anything (a primary-key read)."""
        rows = await self.db.fetch("SELECT * FROM owed_screens WHERE chat_id=?", (chat_id,))
        return OwedRow.model_validate(dict(rows[0])) if rows else None

    async def owed(self) -> list[OwedRow]:
        """Return every owed screen, oldest first."""
        rows = await self.db.fetch("SELECT * FROM owed_screens ORDER BY at")
        return [OwedRow.model_validate(dict(r)) for r in rows]

    # handled updates --------------------------------------------------------------------
    async def handled(self, update_id: int) -> bool:
        """Tell whether an update id was handled already."""
        return bool(await self.db.fetch(
            "SELECT 1 FROM handled_updates WHERE update_id=?", (update_id,)
        ))

    async def mark_handled(self, update_id: int) -> None:
        """Record an update id as handled; now and then forget the oldest ones."""
        self._marks += 1
        prune = self._marks % PRUNE_EVERY == 0
        now = self.clock()

        async def mark(tx: Tx) -> None:
            newest = await tx.fetchval("SELECT MAX(update_id) FROM handled_updates")
            if newest is not None and abs(update_id - newest) > KEEP_HANDLED:
                # Telegram picks a random next id after a week without updates: the ids kept
                # are all that old, and the pruning below would count from the wrong end.
                await tx.execute("DELETE FROM handled_updates")
            await tx.execute("INSERT INTO handled_updates(update_id, at) VALUES (?,?) "
                             "ON CONFLICT DO NOTHING", (update_id, now))
            if prune:
                await tx.execute(
                    "DELETE FROM handled_updates WHERE update_id < "
                    "(SELECT MAX(update_id) FROM handled_updates) - ?", (KEEP_HANDLED,)
                )

        await self.db.write(mark)
