"""Reports on checker verdicts and the scam messages admins confirmed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.store.db import Database


class ReportRow(BaseModel):
    """A user's report that a verdict was wrong."""

    id: int
    user_id: int | None
    at: float
    verdict: str
    kind: str | None
    signals: str
    text: str | None
    status: str


class CheckerStore:
    """SQLite access for the checker feature."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_report(self, user_id: int | None, now: float, verdict: str, kind: str | None,
                         signals: str, text: str | None) -> int:
        """Store a report (text already masked); return its id."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO checker_reports(user_id, at, verdict, kind, signals, text) "
                "VALUES (?,?,?,?,?,?)", (user_id, now, verdict, kind, signals, text))
            return int(cur.lastrowid or 0)

    async def open_reports(self, limit: int = 10) -> list[ReportRow]:
        """Return the oldest undecided reports."""
        async with self.db.conn.execute(
            "SELECT * FROM checker_reports WHERE status='open' ORDER BY id LIMIT ?", (limit,)
        ) as cur:
            return [ReportRow.model_validate(dict(r)) for r in await cur.fetchall()]

    async def get_report(self, report_id: int) -> ReportRow | None:
        """Return one report."""
        async with self.db.conn.execute("SELECT * FROM checker_reports WHERE id=?",
                                        (report_id,)) as cur:
            row = await cur.fetchone()
        return ReportRow.model_validate(dict(row)) if row else None

    async def decide(self, report: ReportRow, scam: bool, admin: int, now: float) -> bool:
        """Mark a report; a confirmed scam with a text becomes a known example. False if done."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE checker_reports SET status=?, decided_by=?, decided_at=? "
                "WHERE id=? AND status='open'",
                ("scam" if scam else "not_scam", admin, now, report.id))
            if cur.rowcount != 1:
                return False
            if scam and report.text:
                await conn.execute(
                    "INSERT OR IGNORE INTO checker_examples(text, kind, added_at, report_id) "
                    "VALUES (?,?,?,?)", (report.text, report.kind, now, report.id))
        return True

    async def examples(self) -> list[str]:
        """Return the confirmed scam messages."""
        async with self.db.conn.execute("SELECT text FROM checker_examples ORDER BY id") as cur:
            return [str(r[0]) for r in await cur.fetchall()]

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """The user's reports, for /export."""
        async with self.db.conn.execute(
            "SELECT id, at, verdict, kind, text, status FROM checker_reports WHERE user_id=?",
            (user_id,)) as cur:
            rows = [dict(r) for r in await cur.fetchall()]
        return {"checker_reports": rows}

    async def guard_mode(self, chat_id: int) -> str | None:
        """Return a group's guard mode (warn, delete) or None when off."""
        async with self.db.conn.execute("SELECT mode FROM checker_groups WHERE chat_id=?",
                                        (chat_id,)) as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else None

    async def set_guard(self, chat_id: int, mode: str | None, admin: int, now: float) -> None:
        """Turn a group's guard on (warn or delete) or off (None)."""
        async with self.db.transaction() as conn:
            if mode is None:
                await conn.execute("DELETE FROM checker_groups WHERE chat_id=?", (chat_id,))
            else:
                await conn.execute(
                    "INSERT INTO checker_groups(chat_id, mode, set_by, set_at) VALUES (?,?,?,?) "
                    "ON CONFLICT(chat_id) DO UPDATE SET mode=excluded.mode, "
                    "set_by=excluded.set_by, set_at=excluded.set_at",
                    (chat_id, mode, admin, now))
