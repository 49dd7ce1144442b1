"""The SQLite connection: WAL, foreign keys, numbered migrations applied at start-up."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import aiosqlite

log = logging.getLogger(__name__)

T = TypeVar("T")
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    """Return the migration files in order, refusing duplicate numbers."""
    found: list[tuple[int, Path]] = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise RuntimeError(f"migration file name {path.name!r} is not NNN_name.sql")
        found.append((int(match.group(1)), path))
    numbers = [n for n, _ in found]
    if len(set(numbers)) != len(numbers):
        raise RuntimeError(f"two migrations share a number: {numbers}")
    return found


class Database:
    """One aiosqlite connection in autocommit mode with explicit transactions."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        # One connection is shared by handlers, jobs and senders: a statement run while
        # another task's transaction is open would join it, so writers take this lock.
        self.lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating folders and file), tune and migrate the database."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: the core store runs its small statements on the loop thread
        # (see ``run``) while aiosqlite's thread serves the features; SQLite is serialized.
        conn = await aiosqlite.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.row_factory = aiosqlite.Row
        # WAL + synchronous=NORMAL survives a killed process (not a power cut) and is fast.
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA busy_timeout=5000")
        # Deleted rows are overwritten with zeros (PIPL erasure), not left in free space.
        await conn.execute("PRAGMA secure_delete=ON")
        db = cls(conn)
        await db.migrate()
        return db

    async def migrate(self) -> None:
        """Apply, in number order, every migration not yet recorded as applied."""
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"
        )
        # A set, not a maximum: features land independently, so 003 may be applied before 002.
        async with self.conn.execute("SELECT version FROM schema_version") as cur:
            applied = {int(row[0]) for row in await cur.fetchall()}
        for number, path in migrations():
            if number in applied:
                continue
            sql = path.read_text(encoding="utf-8")
            async with self.transaction():
                for statement in _statements(sql):
                    await self.conn.execute(statement)
                await self.conn.execute("INSERT INTO schema_version VALUES (?)", (number,))
            log.info("applied migration %s", path.name)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run statements in one immediate transaction, committed before this returns."""
        async with self.lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` with the raw connection on the calling (event loop) thread.

        For small indexed statements only: each awaited aiosqlite call is a round trip to its
        thread (~100-180 µs on a 2-core VM, far more than the statement itself), and a triage
        update needs three. Big or slow work stays on aiosqlite's thread.
        """
        raw: sqlite3.Connection = self.conn._conn  # aiosqlite's own connection object
        return fn(raw)

    def fetch(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Read rows inline (see ``run``)."""
        return self.run(lambda raw: raw.execute(sql, params).fetchall())

    async def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` inline in one immediate transaction, committed before this returns."""

        def transaction(raw: sqlite3.Connection) -> T:
            raw.execute("BEGIN IMMEDIATE")
            try:
                result = fn(raw)
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
            return result

        async with self.lock:
            return self.run(transaction)

    async def checkpoint(self) -> None:
        """Copy the WAL into the database file and truncate it (after an erasure).

        Runs on aiosqlite's thread: with secure_delete the file then holds zeros where the
        deleted rows were, and the WAL no longer holds their older page images.
        """
        async with self.lock:
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        """Close the connection."""
        await self.conn.close()


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (no semicolons inside string literals here)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
