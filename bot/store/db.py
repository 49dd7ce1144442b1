"""The SQLite connection: WAL, foreign keys, numbered migrations applied at start-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TypeVar

import aiosqlite

log = logging.getLogger(__name__)

T = TypeVar("T")
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# How often the second connection copies the WAL into the database file.
CHECKPOINT_EVERY_S = 0.5
# BEGIN IMMEDIATE refused at once (see ``Database._begin``): tried again this often.
BEGIN_RETRIES = 200
BEGIN_RETRY_S = 0.01
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
        # Checkpoints run on a second connection in a worker thread (see ``_checkpoints``).
        self._side: sqlite3.Connection | None = None
        self._side_lock = asyncio.Lock()
        self._stop = asyncio.Event()
        self._checkpointer: asyncio.Task[None] | None = None
        # Small indexed statements run on the event loop thread through a connection of our own
        # (see ``run``), not through aiosqlite's private one.
        self._inline: sqlite3.Connection | None = None

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        """Open (creating folders and file), tune and migrate the database."""
        memory = str(path) == ":memory:"
        if not memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Two connections share the database (aiosqlite's thread and the loop thread's inline
        # one): an in-memory database is shared between them through a named shared cache.
        name = f"file:jdbot-{uuid.uuid4().hex}?mode=memory&cache=shared" if memory else str(path)
        conn = await aiosqlite.connect(name, isolation_level=None, uri=memory)
        conn.row_factory = aiosqlite.Row
        # WAL + synchronous=NORMAL survives a killed process (not a power cut) and is fast.
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        # Waits here happen on aiosqlite's thread, never the event loop's: long enough for
        # several processes sharing the file (README "Running at scale") to take turns.
        await conn.execute("PRAGMA busy_timeout=30000")
        # Deleted rows are overwritten with zeros (PIPL erasure), not left in free space.
        await conn.execute("PRAGMA secure_delete=ON")
        db = cls(conn)
        await db.migrate()
        db._inline = _connect_inline(name, memory=memory)
        if str(path) != ":memory:":
            # SQLite's automatic checkpoint runs inside whichever commit crosses 1000 WAL pages,
            # on the shared connection: 30-100 ms that every inline lookup waits for. A second
            # connection copies the WAL in a worker thread instead, without blocking this one.
            await conn.execute("PRAGMA wal_autocheckpoint=0")
            db._side = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            db._side.execute("PRAGMA busy_timeout=5000")
            db._checkpointer = asyncio.create_task(db._checkpoints(), name="sqlite-checkpoint")
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
                # Another process sharing the database may have applied it meanwhile.
                async with self.conn.execute(
                    "SELECT 1 FROM schema_version WHERE version=?", (number,)
                ) as cur:
                    if await cur.fetchone() is not None:
                        continue
                for statement in _statements(sql):
                    await self.conn.execute(statement)
                await self.conn.execute("INSERT INTO schema_version VALUES (?)", (number,))
            log.info("applied migration %s", path.name)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run statements in one immediate transaction, committed before this returns."""
        async with self.lock:
            await self._begin()
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            await self.conn.execute("COMMIT")

    async def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting out SQLite's immediate "locked" answer.

        A read cursor of another task on this connection may still be open (reads do not take
        the lock); if another process wrote since that read began, SQLite refuses the write
        lock at once instead of waiting (busy_timeout does not apply). It is granted once the
        read is done, a moment later.
        """
        for attempt in range(BEGIN_RETRIES + 1):
            try:
                await self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == BEGIN_RETRIES:
                    raise
                await asyncio.sleep(BEGIN_RETRY_S)

    def run(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` with the raw connection on the calling (event loop) thread.

        For small indexed statements only: each awaited aiosqlite call is a round trip to its
        thread (~100-180 µs on a 2-core VM, far more than the statement itself), and a triage
        update needs three. Big or slow work stays on aiosqlite's thread.
        """
        if self._inline is None:
            raise RuntimeError("the database is not open")
        return fn(self._inline)

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

        With secure_delete the file then holds zeros where the deleted rows were, and no WAL
        frame keeps an older image of their pages. The copying is done by the second connection
        in a worker thread (PASSIVE, blocking nobody); only the final truncation holds writers
        back, for as long as it takes to copy what was written meanwhile.
        """
        if self._side is None:
            async with self.lock:
                await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return
        await self._side_checkpoint("PASSIVE")
        for _ in range(3):
            busy = await self._side_checkpoint("TRUNCATE")
            if not busy:
                return
        log.warning("the WAL could not be truncated after an erasure; it will be at the next")

    async def _side_checkpoint(self, mode: str) -> bool:
        """Run one checkpoint on the second connection; True if a reader or writer was busy."""
        side = self._side
        assert side is not None
        async with self._side_lock:
            row = await asyncio.to_thread(
                lambda: side.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
            )
        return bool(row and row[0])

    async def _checkpoints(self) -> None:
        """Checkpoint every CHECKPOINT_EVERY_S seconds until closed."""
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), CHECKPOINT_EVERY_S)
            if self._stop.is_set():
                return
            try:
                await self._side_checkpoint("PASSIVE")
            except sqlite3.Error as exc:
                log.warning("background checkpoint failed: %s", exc)

    async def close(self) -> None:
        """Stop the checkpointer (letting a running checkpoint finish), close both connections."""
        self._stop.set()
        try:
            if self._checkpointer is not None:
                await asyncio.gather(self._checkpointer, return_exceptions=True)
            if self._side is not None:
                async with self._side_lock:
                    self._side.close()
        finally:
            if self._inline is not None:
                self._inline.close()
                self._inline = None
            await self.conn.close()


def _connect_inline(name: str, *, memory: bool) -> sqlite3.Connection:
    """Open the loop thread's own connection, tuned like aiosqlite's (the pragmas below are
    per connection: foreign keys, erasure, no automatic checkpoint inside a commit)."""
    # check_same_thread=False: opened here, used on the loop thread only.
    raw = sqlite3.connect(name, isolation_level=None, check_same_thread=False, uri=memory)
    raw.row_factory = sqlite3.Row
    for pragma in ("synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000",
                   "secure_delete=ON"):
        raw.execute(f"PRAGMA {pragma}")
    if not memory:
        raw.execute("PRAGMA wal_autocheckpoint=0")
    return raw


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (no semicolons inside string literals here)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
