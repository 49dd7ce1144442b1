"""Fill a bot database with users, planned cases and follow-ups fast (benches, crash tests)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from bot.store.db import migrations


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the bot's migrations synchronously (the same files the bot applies)."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    current = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0
    for number, path in migrations():
        if number <= current:
            continue
        conn.executescript(path.read_text(encoding="utf-8"))
        conn.execute("INSERT INTO schema_version VALUES (?)", (number,))


def populate(path: Path, users: range, per_user: int, due: Callable[[int, int], float],
             step: str = "report_claim", now: float = 0.0) -> None:
    """Create the schema, then one planned case per user with ``per_user`` pending reminders.

    ``due(user_index, k)`` gives the due time of the k-th reminder of the i-th user.
    """
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    _migrate(conn)
    with conn:
        conn.executemany(
            "INSERT INTO users(user_id, locale, consent_at, created_at, updated_at) "
            "VALUES (?, 'en', ?, ?, ?)", ((u, now, now, now) for u in users))
        conn.executemany(
            "INSERT INTO cases(id, user_id, status, step, symptoms, verdict, created_at, "
            "updated_at) VALUES (?, ?, 'planned', NULL, '[\"jintiao\"]', 'covered', ?, ?)",
            ((u, u, now, now) for u in users))

        def rows() -> Iterator[tuple[int, int, str, float, float]]:
            for i, u in enumerate(users):
                for k in range(per_user):
                    yield (u, u, step, due(i, k), now)

        conn.executemany(
            "INSERT INTO followups(case_id, user_id, step, due_at, state, created_at) "
            "VALUES (?, ?, ?, ?, 'pending', ?)", rows())
        conn.execute("UPDATE users SET current_case=user_id")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
