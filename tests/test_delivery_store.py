"""The delivery store: owed screens and handled update ids (bounded)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.store.delivery as delivery_store
from bot.store.db import open_database
from bot.store.delivery import DeliveryStore, OwedKind
from tests.conftest import both_dialects, database_url_for

# The store runs on SQLite and on PostgreSQL.
dialect = both_dialects


async def test_owed_screens_replace_and_settle_only_what_they_owed(
        tmp_path: Path, dialect: str, request: pytest.FixtureRequest) -> None:
    db = await open_database(database_url_for(request, dialect), tmp_path / "x.sqlite3")
    try:
        await db.execute("INSERT INTO users(user_id, locale, consent_at, created_at, "
                         "updated_at) VALUES (1, 'en', 1, 1, 1)")
        now = [100.0]
        store = DeliveryStore(db, clock=lambda: now[0])
        first = await store.owe(1, 1, OwedKind.STEP)
        now[0] += 1
        second = await store.owe(1, 1, OwedKind.PLAN)
        await store.settle(first)  # something newer is owed: kept
        assert await store.owed_for(1) == second
        await store.settle(second)
        assert await store.owed() == []
        await store.owe(1, 1, OwedKind.STEP)
        await db.execute("DELETE FROM users WHERE user_id=1")
        assert await store.owed() == [], "deleting the user deletes what they were owed"
    finally:
        await db.close()


async def test_handled_ids_are_pruned_and_survive_a_jump(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialect: str,
        request: pytest.FixtureRequest) -> None:
    monkeypatch.setattr(delivery_store, "KEEP_HANDLED", 10)
    monkeypatch.setattr(delivery_store, "PRUNE_EVERY", 5)
    db = await open_database(database_url_for(request, dialect), tmp_path / "x.sqlite3")
    try:
        store = DeliveryStore(db)
        for update_id in range(1, 31):
            await store.mark_handled(update_id)
        assert await store.handled(30) and await store.handled(20)
        assert not await store.handled(5)
        kept = await db.fetchval("SELECT COUNT(*) FROM handled_updates")
        assert kept <= 10 + 5
        # A week without updates: Telegram starts from a random id, far below.
        await store.mark_handled(7_000)
        await store.mark_handled(3)
        for update_id in range(4, 10):
            await store.mark_handled(update_id)
        assert await store.handled(3) and await store.handled(9)
        assert not await store.handled(30)
    finally:
        await db.close()
