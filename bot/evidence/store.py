"""Claim-pack rows; every write is one transaction, committed before it returns."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.evidence.model import (
    Channel,
    Contact,
    ContactChannel,
    DraftKind,
    EvidenceFile,
    FileKind,
    Proposal,
    State,
    Transaction,
)
from bot.store.cases import INSERT_EVENT, event_params
from bot.store.db import Database, Tx


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(dict(value), ensure_ascii=False, separators=(",", ":"))


async def tick_item(tx: Tx, case_id: int, item: str, now: float) -> bool:
    """Add an item to a case's ticked evidence (with a history line); False if it was ticked."""
    row = await tx.fetchone("SELECT evidence_done FROM cases WHERE id=?", (case_id,))
    done: list[str] = json.loads(row[0]) if row else []
    if row is None or item in done:
        return False
    done.append(item)
    await tx.execute("UPDATE cases SET evidence_done=?, updated_at=?, version=version+1 "
                     "WHERE id=?", (json.dumps(done, separators=(",", ":")), now, case_id))
    await tx.execute(INSERT_EVENT, event_params(case_id, now, "evidence_filed", {"item": item}))
    return True


class EvidenceStore:
    """Files, transactions, contacts and input state of the claim pack."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # files ---------------------------------------------------------------------------------
    async def find_duplicate(self, case_id: int, file_unique_id: str,
                             sha256: str | None = None) -> EvidenceFile | None:
        """Return the filed copy of a file (same Telegram file or same bytes), if any."""
        rows = await self.db.fetch(
            "SELECT * FROM evidence_files WHERE case_id=? AND (file_unique_id=? OR sha256=?) "
            "ORDER BY id LIMIT 1", (case_id, file_unique_id, sha256 or ""))
        return EvidenceFile.model_validate(dict(rows[0])) if rows else None

    async def add_file(self, case_id: int, *, item: str | None, kind: FileKind, file_id: str,
                       file_unique_id: str, file_name: str | None, mime: str, size: int,
                       sha256: str, note: str | None, proposal: Proposal | None,
                       now: float) -> EvidenceFile:
        """File a new piece of evidence (ticking its item when one is given)."""
        prop = proposal.model_dump_json() if proposal is not None else None

        async def add(tx: Tx) -> int:
            new = int(await tx.fetchval(
                "INSERT INTO evidence_files(case_id, item, kind, file_id, file_unique_id, "
                "file_name, mime, size, sha256, note, proposal, received_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
                (case_id, item, kind.value, file_id, file_unique_id, file_name, mime, size,
                 sha256, note, prop, now)))
            if item is not None:
                await tick_item(tx, case_id, item, now)
            return new

        file_row = await self.db.write(add)
        got = await self.get_file(file_row)
        assert got is not None
        return got

    async def get_file(self, file_row: int) -> EvidenceFile | None:
        """Return one filed file."""
        rows = await self.db.fetch("SELECT * FROM evidence_files WHERE id=?", (file_row,))
        return EvidenceFile.model_validate(dict(rows[0])) if rows else None

    async def files(self, case_id: int) -> list[EvidenceFile]:
        """Return a case's files, oldest first."""
        rows = await self.db.fetch("SELECT * FROM evidence_files WHERE case_id=? ORDER BY id",
                             (case_id,))
        return [EvidenceFile.model_validate(dict(r)) for r in rows]

    async def file_under(self, file_row: int, case_id: int, item: str, now: float) -> None:
        """Put a file under an item and tick the item."""

        async def move(tx: Tx) -> None:
            await tx.execute("UPDATE evidence_files SET item=? WHERE id=? AND case_id=?",
                             (item, file_row, case_id))
            await tick_item(tx, case_id, item, now)

        await self.db.write(move)

    async def drop_proposal(self, file_row: int) -> None:
        """Forget the transaction read from a file (confirmed or discarded)."""
        await self.db.execute("UPDATE evidence_files SET proposal=NULL WHERE id=?", (file_row,))

    # transactions --------------------------------------------------------------------------
    async def save_tx(self, case_id: int, target: int | None, *, order_no: str, at: str,
                      amount: Decimal, channel: Channel, file: int | None,
                      now: float) -> int:
        """Add a transaction (target None) or update one; drop the proposal it came from."""

        async def save(conn: Tx) -> int:
            if target is None:
                tx = int(await conn.fetchval(
                    "INSERT INTO evidence_transactions(case_id, order_no, at, amount, channel, "
                    "file, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                    (case_id, order_no, at, str(amount), channel.value, file, now, now)))
            else:
                await conn.execute(
                    "UPDATE evidence_transactions SET order_no=?, at=?, amount=?, channel=?, "
                    "updated_at=? WHERE id=? AND case_id=?",
                    (order_no, at, str(amount), channel.value, now, target, case_id))
                tx = target
            if file is not None:
                await conn.execute("UPDATE evidence_files SET proposal=NULL WHERE id=?", (file,))
            return tx

        return await self.db.write(save)

    async def get_tx(self, tx: int) -> Transaction | None:
        """Return one transaction."""
        rows = await self.db.fetch("SELECT * FROM evidence_transactions WHERE id=?", (tx,))
        return Transaction.model_validate(dict(rows[0])) if rows else None

    async def transactions(self, case_id: int) -> list[Transaction]:
        """Return a case's transactions in time order."""
        rows = await self.db.fetch(
            "SELECT * FROM evidence_transactions WHERE case_id=? ORDER BY at, id", (case_id,))
        return [Transaction.model_validate(dict(r)) for r in rows]

    async def delete_tx(self, tx: int, case_id: int) -> bool:
        """Delete a transaction of a case."""
        return await self.db.execute(
            "DELETE FROM evidence_transactions WHERE id=? AND case_id=?", (tx, case_id)
        ) > 0

    # contacts ------------------------------------------------------------------------------
    async def add_contact(self, case_id: int, *, at: str, channel: ContactChannel,
                          ref: str | None, note: str | None, now: float) -> int:
        """Add a line to the contact log."""

        return int(await self.db.write(lambda tx: tx.fetchval(
            "INSERT INTO evidence_contacts(case_id, at, channel, ref, note, created_at) "
            "VALUES (?,?,?,?,?,?) RETURNING id", (case_id, at, channel.value, ref, note, now))))

    async def contacts(self, case_id: int) -> list[Contact]:
        """Return a case's contact log in date order."""
        rows = await self.db.fetch(
            "SELECT * FROM evidence_contacts WHERE case_id=? ORDER BY at, id", (case_id,))
        return [Contact.model_validate(dict(r)) for r in rows]

    async def delete_contact(self, contact: int, case_id: int) -> bool:
        """Delete a contact-log line of a case."""
        return await self.db.execute(
            "DELETE FROM evidence_contacts WHERE id=? AND case_id=?", (contact, case_id)
        ) > 0

    # input state ---------------------------------------------------------------------------
    async def state(self, user_id: int) -> State | None:
        """Return what a user is entering, if anything."""
        rows = await self.db.fetch("SELECT * FROM evidence_state WHERE user_id=?", (user_id,))
        return State.model_validate(dict(rows[0])) if rows else None

    async def set_upload_item(self, user_id: int, case_id: int, item: str | None,
                              now: float) -> None:
        """Make uploads go under ``item`` (None: ask for each file)."""
        await self.db.execute(
            "INSERT INTO evidence_state(user_id, case_id, upload_item, upload_at, updated_at) "
            "VALUES (?,?,?,?,?) ON CONFLICT(user_id) DO UPDATE SET case_id=excluded.case_id, "
            "upload_item=excluded.upload_item, upload_at=excluded.upload_at, "
            "updated_at=excluded.updated_at",
            (user_id, case_id, item, now, now))

    async def set_draft(self, user_id: int, case_id: int, kind: DraftKind | None,
                        target: int | None, field: str | None, data: Mapping[str, Any],
                        now: float) -> None:
        """Store the entry being typed (kind None clears it)."""
        await self.db.execute(
            "INSERT INTO evidence_state(user_id, case_id, draft_kind, draft_target, "
            "draft_field, draft_data, updated_at) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(user_id) DO UPDATE SET case_id=excluded.case_id, "
            "draft_kind=excluded.draft_kind, draft_target=excluded.draft_target, "
            "draft_field=excluded.draft_field, draft_data=excluded.draft_data, "
            "updated_at=excluded.updated_at",
            (user_id, case_id, kind.value if kind else None, target, field, _json(data), now))

    async def awaiting_text(self, user_id: int, since: float) -> bool:
        """Tell whether the user's next text answers a claim-pack question (one index seek)."""
        # Only for the user's current case: after /new the next text belongs to the triage.
        rows = await self.db.fetch(
            "SELECT 1 FROM evidence_state s JOIN users u ON u.user_id=s.user_id "
            "AND u.current_case=s.case_id WHERE s.user_id=? AND s.draft_field IS NOT NULL "
            "AND s.updated_at>=?", (user_id, since))
        return bool(rows)

    async def can_file(self, user_id: int) -> bool:
        """Tell whether the user's current case takes evidence (consent and a plan)."""
        return bool(await self.db.fetch(
            "SELECT 1 FROM users u JOIN cases c ON c.id=u.current_case WHERE u.user_id=? "
            "AND u.consent_at IS NOT NULL AND c.verdict IS NOT NULL", (user_id,)))

    # data rights ---------------------------------------------------------------------------
    async def export_user(self, user_id: int) -> dict[str, Any]:
        """Return a user's claim-pack rows for /export."""
        out: dict[str, Any] = {"evidence_files": [], "transactions": [], "contacts": []}
        for (case_id,) in await self.db.fetch("SELECT id FROM cases WHERE user_id=? ORDER BY id",
                                              (user_id,)):
            out["evidence_files"] += [f.model_dump(mode="json")
                                      for f in await self.files(case_id)]
            out["transactions"] += [t.model_dump(mode="json")
                                    for t in await self.transactions(case_id)]
            out["contacts"] += [c.model_dump(mode="json") for c in await self.contacts(case_id)]
        return out
