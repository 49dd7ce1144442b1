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
    """Database access for the checker feature."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_report(self, user_id: int | None, now: float, verdict: str, kind: str | None,
                         signals: str, text: str | None) -> int:
        """Store a report (text already masked); return its id."""
        async with self.db.transaction() as conn:
            return int(await conn.fetchval(
                "INSERT INTO checker_reports(user_id, at, verdict, kind, signals, text) "
                "VALUES (?,?,?,?,?,?) RETURNING id", (user_id, now, verdict, kind, signals, text)))

    async def open_reports(self, limit: int = 10) -> list[ReportRow]:
        """Return the oldest undecided reports."""
        return [ReportRow.model_validate(dict(r)) for r in await self.db.fetch(
            "SELECT * FROM checker_reports WHERE status='open' ORDER BY id LIMIT ?", (limit,)
        )]

    async def get_report(self, report_id: int) -> ReportRow | None:
        """Return one report."""
        row = await self.db.fetchone("SELECT * FROM checker_reports WHERE id=?", (report_id,))
        return ReportRow.model_validate(dict(row)) if row else None

    async def decide(self, report: ReportRow, scam: bool, admin: int, now: float) -> bool:
        """Mark a report; a confirmed scam with a text becomes a known example. False if done."""
        async with self.db.transaction() as conn:
            changed = await conn.execute(
                "UPDATE checker_reports SET status=?, decided_by=?, decided_at=? "
                "WHERE id=? AND status='open'",
                ("scam" if scam else "not_scam", admin, now, report.id))
            if changed != 1:
                return False
            if scam and report.text:
                await conn.execute(
                    "INSERT INTO checker_examples(text, kind, added_at, report_id) "
                    "VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                    (report.text, report.kind, now, report.id))
        return True

    async def examples(self) -> list[str]:
        """Return the confirmed scam messages."""
        return [str(r[0]) for r in await self.db.fetch(
            "SELECT text FROM checker_examples ORDER BY id")]

    async def cleared(self) -> list[str]:
        """Return the reported messages admins marked "not a scam" (masked texts; they go
        with the reporter's data)."""
        return [str(r[0]) for r in await self.db.fetch(
            "SELECT text FROM checker_reports WHERE status='not_scam' AND text IS NOT NULL "
            "ORDER BY id")]

    async def export_user(self, user_id: int) -> dict[str, Any]:
        """The user's reports, for /export."""
        rows = [dict(r) for r in await self.db.fetch(
            "SELECT id, at, verdict, kind, text, status FROM checker_reports WHERE user_id=? "
            "ORDER BY id", (user_id,))]
        return {"checker_reports": rows}

    async def guard_mode(self, chat_id: int) -> str | None:
        """Return a group's guard mode (warn, delete) or None when off."""
        mode = await self.db.fetchval("SELECT mode FROM checker_groups WHERE chat_id=?",
                                      (chat_id,))
        return str(mode) if mode is not None else None

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
