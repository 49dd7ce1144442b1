"""``python -m bot db migrate`` and ``python -m bot db copy``: operate on the store.

``copy`` moves a SQLite store into PostgreSQL: both are migrated first, then every table is
copied in dependency order (parents before the rows that reference them) with its ids, the
identity sequences are set past the copied ids, and the row counts are compared at the end.
A target that already holds rows is refused unless ``--force`` (which empties it first).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.store.db import Database, PostgresDatabase, SqliteDatabase, open_database

# Every table, parents first. A table missing here stops the copy (see ``_check_tables``).
TABLES = (
    "users",
    "cases",
    "case_events",
    "followups",
    "followup_pauses",
    "alert_subscribers",
    "alert_groups",
    "alert_broadcasts",
    "alert_deliveries",
    "owed_screens",
    "handled_updates",
    "evidence_files",
    "evidence_transactions",
    "evidence_contacts",
    "evidence_state",
    "checker_reports",
    "checker_examples",
    "checker_groups",
)
# Not copied: which processes run and who holds a periodic job's lease describe the running
# installation, not its data (the instances of the new store register themselves).
RUNTIME_TABLES = frozenset({"instances", "leases", "schema_version"})
# Rows read from SQLite and written with COPY at a time.
CHUNK = 5000

Print = Callable[[str], None]


class CopyError(Exception):
    """The copy cannot go on; the message is one line for the operator."""


def redact(url: str) -> str:
    """Return a database URL without its password."""
    return Settings(_env_file=None, database_url=url).database_label()


async def migrate(url: str | None, path: Path, out: Print) -> list[str]:
    """Apply the migrations not yet applied to the configured store; print what was done."""
    db = await open_database(url, path, migrate=False)
    try:
        where = f"PostgreSQL {redact(url)}" if url else f"SQLite {path}"
        done = await db.migrate()
        applied = await db.applied_migrations()
    finally:
        await db.close()
    for name in done:
        out(f"applied {name}")
    out(f"{where}: {len(done)} migration(s) applied now, {len(applied)} in all")
    return done


async def copy(sqlite_path: Path, url: str, out: Print, *, force: bool = False) -> dict[str, int]:
    """Copy every table of a SQLite store into PostgreSQL; return the row count per table."""
    if not await asyncio.to_thread(sqlite_path.is_file):
        raise CopyError(f"no SQLite database at {sqlite_path}")
    source = await SqliteDatabase.connect(sqlite_path)  # migrated like the bot would
    try:
        target = await PostgresDatabase.connect(url)
        try:
            return await _copy(source, target, sqlite_path, url, out, force=force)
        finally:
            await target.close()
    finally:
        await source.close()


async def _copy(source: SqliteDatabase, target: PostgresDatabase, sqlite_path: Path, url: str,
                out: Print, *, force: bool) -> dict[str, int]:
    await _check_tables(source)
    held = {t: await _count(target, t) for t in TABLES}
    if any(held.values()):
        if not force:
            busy = ", ".join(f"{t} ({n})" for t, n in held.items() if n)
            raise CopyError(f"the PostgreSQL database is not empty: {busy}; "
                            "add --force to empty it first")
        await target.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        out("emptied the PostgreSQL tables (--force)")
    out(f"copying {sqlite_path} -> {redact(url)}")
    types = await _pg_types(target)
    copied: dict[str, int] = {}
    raw = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        for table in TABLES:
            columns = [str(r[1]) for r in raw.execute(f"PRAGMA table_info({table})")]
            casts = [_caster(types[table].get(c, "text")) for c in columns]
            cursor = raw.execute(f"SELECT {', '.join(columns)} FROM {table}")
            total = 0
            while chunk := cursor.fetchmany(CHUNK):
                rows = [tuple(cast(v) for cast, v in zip(casts, row, strict=True))
                        for row in chunk]
                await target.copy_rows(table, columns, rows)
                total += len(rows)
            copied[table] = total
            out(f"  {table:<24}{total:>10}")
    finally:
        raw.close()
    reset = await _reset_identities(target)
    out(f"identity sequences set past the copied ids: {', '.join(reset) or 'none'}")
    mismatched = [
        f"{t} ({await _count(source, t)} in SQLite, {await _count(target, t)} in PostgreSQL)"
        for t in TABLES if await _count(source, t) != await _count(target, t)
    ]
    if mismatched:
        raise CopyError(f"row counts differ after the copy: {', '.join(mismatched)}")
    out(f"verified: {len(TABLES)} tables, {sum(copied.values())} rows, the same counts on "
        "both sides")
    return copied


async def _check_tables(source: Database) -> None:
    """Refuse to copy when the store has a table this module does not know."""
    names = {str(r[0]) for r in await source.fetch(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")}
    unknown = sorted(names - set(TABLES) - RUNTIME_TABLES)
    if unknown:
        raise CopyError(f"tables not known to the copy: {', '.join(unknown)} "
                        "(add them to bot.store.copy.TABLES)")


async def _count(db: Database, table: str) -> int:
    return int(await db.fetchval(f"SELECT COUNT(*) FROM {table}"))


async def _pg_types(target: Database) -> dict[str, dict[str, str]]:
    """Return each column's PostgreSQL type, by table."""
    types: dict[str, dict[str, str]] = {t: {} for t in TABLES}
    for row in await target.fetch(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema()"):
        if str(row[0]) in types:
            types[str(row[0])][str(row[1])] = str(row[2])
    return types


def _caster(pg_type: str) -> Callable[[Any], Any]:
    """Return how a SQLite value becomes a value of a PostgreSQL column (COPY is strict)."""
    if pg_type in ("bigint", "integer", "smallint"):
        return lambda v: v if v is None else int(v)
    if pg_type in ("double precision", "real", "numeric"):
        return lambda v: v if v is None else float(v)
    return lambda v: v if v is None else str(v)


async def _reset_identities(target: Database) -> Sequence[str]:
    """Set every identity sequence past the largest id copied; return the tables."""
    rows = await target.fetch(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name")
    done = []
    for table, column in ((str(r[0]), str(r[1])) for r in rows):
        await target.fetchval(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)")
        done.append(table)
    return done
