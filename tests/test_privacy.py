"""Erasure and retention are complete: nothing that names a user survives in the file or WAL.

/delete removes or anonymises every row about the user (alerts they wrote keep their text, not
their author), secure_delete zeroes the freed space and a checkpoint empties the WAL; /export
includes the alerts the user wrote; retention removes idle users, compacts finished broadcasts
and anonymises old ones, all in small batches.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from telegram.ext import CallbackContext

from bot.alerts.handlers import alerts_of
from bot.alerts.store import BroadcastState
from bot.handlers import general
from bot.store.cases import CaseStatus
from tests.conftest import (
    FakeClock,
    Harness,
    both_dialects,
    database_url_for,
    make_settings,
    start_harness,
    stop_harness,
)
from tests.test_triage import db_bytes, stored_values

# The store-level and harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

DAY = 86400.0
# Ids above 2**32, so their encodings (6-byte integers, varints) cannot be mistaken for others.
VICTIM = 5_123_456_789
OTHER = 6_200_000_001
AMOUNT = "8848.86"
ALERT_BODY = "假冒京东客服要求开启屏幕共享 ALERT-7731"


def encodings(user_id: int) -> list[bytes]:
    """The ways SQLite may store an integer: record format (big-endian), rowid varint, text."""
    out = [str(user_id).encode(), user_id.to_bytes(6, "big"), user_id.to_bytes(8, "big")]
    varint = bytearray()
    value = user_id
    groups = []
    while True:
        groups.append(value & 0x7F)
        value >>= 7
        if not value:
            break
    for i, group in enumerate(reversed(groups)):
        varint.append(group | (0x80 if i < len(groups) - 1 else 0))
    out.append(bytes(varint))
    return out


def wal_size(path: Path) -> int:
    """Return the size of a database's WAL file (0 when absent)."""
    wal = Path(str(path) + "-wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.fixture
async def h(tmp_path: Path, clock: FakeClock, dialect: str,
            request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """A started bot where the victim may send alerts."""
    settings = make_settings(tmp_path, admin_ids=frozenset({VICTIM}), broadcast_rate=1000,
                             database_url=database_url_for(request, dialect))
    harness = await start_harness(settings, clock)
    try:
        yield harness
    finally:
        await stop_harness(harness)


async def consent(h: Harness, user: int) -> None:
    await h.send("/start", user)
    await h.press(h.t("btn-consent-yes"), user)


async def stored_case(h: Harness, user: int, *, closed: bool = False) -> int:
    """A case with an amount, an answer, a history line and a pending reminder."""
    store = h.svc.store
    case = await store.create_case(user, h.svc.flow.start, h.clock())
    case.amount = Decimal(AMOUNT)
    case.answers = {"_amount": "known"}
    if closed:
        case.status = CaseStatus.CLOSED
        case.closed_at = h.clock()
    await store.save_case(case, h.clock(), "answered", answer=AMOUNT)
    await h.svc.db.execute(
        "INSERT INTO followups(case_id, user_id, step, due_at, created_at) VALUES (?,?,?,?,?)",
        (case.id, user, "emergency_check", h.clock() + 3600, h.clock()),
    )
    return case.id


async def alert(h: Harness, author: int, body: str) -> int:
    """Write and send an alert from a private chat; wait until it is delivered."""
    await h.send(f"/alert {body}", author)
    await h.press(h.t("btn-alert-send"), author)
    feature = alerts_of(h.svc)
    assert feature.sender is not None
    await feature.sender.drain(10)
    rows = await feature.store.recent(10)
    return rows[0].id


async def test_delete_leaves_no_trace_in_the_file_or_the_wal(h: Harness) -> None:
    await consent(h, VICTIM)
    await consent(h, OTHER)
    await stored_case(h, VICTIM)
    await h.send("/subscribe", VICTIM)
    await h.send("/subscribe", OTHER)
    broadcast = await alert(h, VICTIM, ALERT_BODY)
    await h.send("/alert draft never sent ALERT-DRAFT-55", VICTIM)

    await h.send("/delete", VICTIM)
    await h.press(h.t("btn-delete-yes"), VICTIM)
    assert h.last_text(VICTIM) == h.t("delete-done", cases=2)  # consent opened one too

    values = await stored_values(h)
    # On SQLite the file and its WAL too; on PostgreSQL the rows are gone from every query
    # (the file-level guarantee is SQLite's secure_delete; see bot.store.db).
    sqlite = h.svc.db.dialect == "sqlite"
    assert not sqlite or wal_size(h.settings.database_path) == 0, "the WAL was checkpointed"
    raw = db_bytes(h.settings.database_path) if sqlite else values.encode()
    for needle in encodings(VICTIM):
        assert needle not in raw, needle
    assert str(VICTIM) not in values
    assert AMOUNT.encode() not in raw
    assert b"ALERT-DRAFT-55" not in raw, "an unsent draft goes with its author"
    # The alert they wrote stays (others received it), without its author.
    row = await alerts_of(h.svc).store.broadcast(broadcast)
    assert row is not None and row.body == ALERT_BODY
    assert row.author_id == 0 and row.origin_chat == 0 and row.status_chat is None
    # The other user is untouched.
    assert await h.svc.store.get_user(OTHER) is not None
    assert await alerts_of(h.svc).store.is_subscribed(OTHER)
    assert any(needle in raw for needle in encodings(OTHER))


@pytest.mark.parametrize("dialect", ["sqlite"])
async def test_secure_delete_is_on(h: Harness) -> None:
    rows = await h.svc.db.fetch("PRAGMA secure_delete")
    assert rows[0][0] == 1


async def test_export_includes_the_alerts_the_user_wrote(h: Harness) -> None:
    await consent(h, VICTIM)
    await h.send("/subscribe", OTHER)
    broadcast = await alert(h, VICTIM, ALERT_BODY)
    calls = await h.send("/export", VICTIM)
    docs = [c for c in calls if c.method == "sendDocument"]
    payload = json.loads(docs[0].params["_uploads"]["document"])
    written = payload["alerts_written"]
    assert [(a["id"], a["body"], a["state"]) for a in written] == [
        (broadcast, ALERT_BODY, "done")
    ]


async def test_retention_removes_idle_users_compacts_and_anonymises(h: Harness) -> None:
    store = h.svc.store
    feature = alerts_of(h.svc)
    store.purge_batch = 2  # several batches
    feature.store.compact_batch = 2
    await consent(h, VICTIM)  # will write an alert, then go idle
    for user in (11, 12, 13):
        await consent(h, user)
        await stored_case(h, user, closed=True)
    await h.send("/subscribe", 21)  # a subscriber with no case: kept while subscribed
    await h.send("/subscribe", 22)
    broadcast = await alert(h, VICTIM, ALERT_BODY)
    before = await feature.store.counts(broadcast)
    assert before.total == before.sent == 2
    await h.send("/alert an old draft ALERT-DRAFT-77", VICTIM)

    days = h.settings.retention_days
    h.clock.advance((2 * days + 1) * DAY)  # the cases consent opened are idle that long
    await consent(h, 30)  # an active user
    await general.purge_job(CallbackContext(h.app))

    for user in (11, 12, 13, VICTIM):
        assert await store.get_user(user) is None, user
    for user in (21, 22, 30):
        assert await store.get_user(user) is not None, user
    assert await h.svc.db.fetchval("SELECT COUNT(*) FROM cases WHERE user_id<>30") == 0
    assert await h.svc.db.fetchval("SELECT COUNT(*) FROM followups") == 0
    # The finished broadcast keeps its figures without a row per recipient.
    assert await h.svc.db.fetchval("SELECT COUNT(*) FROM alert_deliveries") == 0
    after = await feature.store.counts(broadcast)
    assert after == before
    row = await feature.store.broadcast(broadcast)
    assert row is not None and row.body == ALERT_BODY and row.author_id == 0
    assert row.origin_chat == 0 and row.status_chat is None
    if h.svc.db.dialect == "sqlite":
        assert b"ALERT-DRAFT-77" not in db_bytes(h.settings.database_path)
    assert "ALERT-DRAFT-77" not in await stored_values(h)
    await h.send("/broadcasts", VICTIM)  # still answers (nothing of theirs is listed)


async def test_purge_in_batches_clears_current_case(h: Harness) -> None:
    store = h.svc.store
    store.purge_batch = 3
    for user in range(100, 110):
        await consent(h, user)
        await stored_case(h, user, closed=user % 2 == 0)
    h.clock.advance((h.settings.retention_days + 1) * DAY)
    keep = h.settings.retention_days * DAY
    now = h.clock()
    assert await store.purge_expired(now - keep, now - 2 * keep) == 5
    rows = await h.svc.db.fetch("SELECT user_id, current_case FROM users WHERE user_id>=100")
    current = {int(r[0]): r[1] for r in rows}
    assert all((current[u] is None) == (u % 2 == 0) for u in range(100, 110))
    h.clock.advance(h.settings.retention_days * DAY)
    now = h.clock()
    # The cases consent opened and the open ones, idle for twice the period now.
    assert await store.purge_expired(now - keep, now - 2 * keep) == 15
    assert await store.purge_users(now - keep) == 10


async def test_broadcast_set_up_in_batches_and_resumed_after_a_crash(h: Harness) -> None:
    feature = alerts_of(h.svc)
    feature.store.setup_batch = 3
    for user in range(200, 211):
        await h.send("/subscribe", user)
    broadcast = await alert(h, VICTIM, ALERT_BODY)
    counts = await feature.store.counts(broadcast)
    assert counts.total == counts.sent == 11
    # A crash while preparing: some rows written, the state still PREPARING.
    draft = await feature.store.create_draft(VICTIM, VICTIM, "zh-CN", "ALERT-RESUME", h.clock())
    await h.svc.db.execute(
        "UPDATE alert_broadcasts SET state=? WHERE id=?",
        (BroadcastState.PREPARING.value, draft.id),
    )
    await h.svc.db.write(lambda tx: tx.executemany(
        "INSERT INTO alert_deliveries(broadcast_id, chat_id, user_id, is_group, locale) "
        "VALUES (?,?,?,0,'zh-CN')", [(draft.id, u, u) for u in (200, 201, 202, 203)],
    ))
    running = await feature.store.running()
    assert [r.id for r in running] == [draft.id]
    assert running[0].state is BroadcastState.RUNNING and running[0].total == 11
    sender = feature.sender
    assert sender is not None
    sender.wake()
    await sender.drain(10)
    assert (await feature.store.counts(draft.id)).sent == 11


async def test_stopping_a_broadcast_cancels_its_rows_in_batches(h: Harness) -> None:
    feature = alerts_of(h.svc)
    feature.store.setup_batch = 3
    for user in range(300, 310):
        await h.send("/subscribe", user)
    draft = await feature.store.create_draft(VICTIM, VICTIM, "zh-CN", "ALERT-STOP", h.clock())
    total = await feature.store.start(draft.id, h.clock(), VICTIM, 1, "zh-CN")
    assert total == 10
    # Stopped right away (the sender is not woken, so it has claimed little or nothing).
    assert await feature.store.cancel(draft.id, h.clock())
    counts = await feature.store.counts(draft.id)
    assert counts.pending == 0 and counts.total == 10
