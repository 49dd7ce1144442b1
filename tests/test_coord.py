"""Coordination of several processes on one database (bot/store/coord.py), in one process:
two Database connections and two coordinators on one SQLite file or one PostgreSQL database,
a settable clock."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.alerts.store import AlertStore
from bot.followups.store import FollowupStore
from bot.store.cases import CaseConflict, Store
from bot.store.coord import Coordinator
from bot.store.db import open_database
from tests.conftest import FakeClock, both_dialects, database_url_for

dialect = both_dialects

LEASE = 10.0


@pytest.fixture
async def pair(tmp_path: Path, request: pytest.FixtureRequest, dialect: str
               ) -> AsyncIterator[tuple[Coordinator, Coordinator, FakeClock]]:
    path = tmp_path / "bot.sqlite3"
    url = database_url_for(request, dialect)
    clock = FakeClock()
    db_a, db_b = await open_database(url, path), await open_database(url, path)
    a = Coordinator(db_a, name="a", heartbeat_s=0.01, lease_s=LEASE, clock=clock)
    b = Coordinator(db_b, name="b", heartbeat_s=0.01, lease_s=LEASE, clock=clock)
    # Two "processes" in one: give a the pid of a live process that is not this one.
    a.pid = os.getppid()
    await a.start()
    await b.start()
    # From here on the tests beat by hand: the loops wait an hour (after at most one more beat
    # of the short start-up interval), so "a is silent" means silent on every store.
    a.heartbeat_s = b.heartbeat_s = 3600.0
    await asyncio.sleep(0.1)
    try:
        yield a, b, clock
    finally:
        for c in (a, b):
            await c.stop()
            await c.db.close()


async def test_live_count_and_shares(pair: tuple[Coordinator, Coordinator, FakeClock]) -> None:
    a, b, clock = pair
    shares: list[int] = []
    a.watch(shares.append)
    await a.beat()
    assert (a.live, b.live) == (2, 2) and shares == [2]
    clock.advance(LEASE + 1)  # a is silent past its lease: b alone counts as live
    await b.beat()
    assert b.live == 1


async def test_a_lease_has_one_holder_until_it_runs_out(
        pair: tuple[Coordinator, Coordinator, FakeClock]) -> None:
    a, b, clock = pair
    assert await a.hold("retention")
    assert not await b.hold("retention")
    assert await a.hold("retention"), "the holder keeps it"
    clock.advance(LEASE / 2)
    await a.beat()  # renews
    clock.advance(LEASE / 2 + 1)
    assert not await b.hold("retention")
    clock.advance(LEASE)
    assert await b.hold("retention"), "taken over once it ran out"
    assert not await a.hold("retention")


async def test_reminders_are_claimed_once_and_taken_over_only_from_the_gone(
        pair: tuple[Coordinator, Coordinator, FakeClock]) -> None:
    a, b, clock = pair
    store = Store(a.db)
    await store.give_consent(7, "en", clock.now)
    case = await store.create_case(7, "symptoms", clock.now)
    fa, fb = FollowupStore(a.db), FollowupStore(b.db)
    async with a.db.transaction() as conn:
        await fa.schedule(conn, case.id, 7, "emergency", clock.now - 1, clock.now - 10)
    row = await fa.claim_due(clock.now, clock.now, a.id)
    assert row is not None and row.claimed_by == a.id
    assert await fb.claim_due(clock.now, clock.now, b.id) is None, "claimed once"
    assert await b.take_over_followups(clock.now, clock.now + 86400) == [], "a is live"
    clock.advance(LEASE + 1)
    taken = await b.take_over_followups(clock.now, clock.now + 86400)
    assert [t.id for t in taken] == [row.id]
    states = {r.state.value for r in await fb.of_case(case.id)}
    assert states == {"interrupted", "pending"}, "asked again later, not resent"
    assert await a.take_over_followups(clock.now, clock.now) == [], "taken over once"


async def test_broadcast_rows_go_back_only_from_the_gone(
        pair: tuple[Coordinator, Coordinator, FakeClock]) -> None:
    a, b, clock = pair
    sa, sb = AlertStore(a.db), AlertStore(b.db)
    for user in range(100, 110):
        await sa.subscribe(user, "en", 0.0)
    draft = (await sa.create_draft(1, 1, "en", "body", clock.now)).id
    assert await sa.start(draft, clock.now, 1, 1, "en") == 10
    mine = await sa.claim(draft, clock.now, 4, a.id)
    theirs = await sb.claim(draft, clock.now, 100, b.id)
    assert len(mine) == 4 and len(theirs) == 6
    assert not {r.chat_id for r in mine} & {r.chat_id for r in theirs}
    assert await b.take_over_deliveries(clock.now) == {}, "a is live: its rows stay"
    assert await b.sending(draft) == 10
    clock.advance(LEASE + 1)
    await b.beat()  # b renews; a stays silent
    assert await b.take_over_deliveries(clock.now) == {draft: 4}, "a's 4, not b's own 6"
    assert await b.sending(draft) == 6


async def test_a_case_written_from_a_stale_copy_conflicts(
        pair: tuple[Coordinator, Coordinator, FakeClock]) -> None:
    a, b, clock = pair
    sa, sb = Store(a.db), Store(b.db)
    await sa.give_consent(8, "en", clock.now)
    case = await sa.create_case(8, "symptoms", clock.now)
    one, two = await sa.get_case(case.id), await sb.get_case(case.id)
    assert one is not None and two is not None
    one.symptoms = ["jintiao"]
    await sa.save_case(one, clock.now)
    two.symptoms = ["baitiao"]
    with pytest.raises(CaseConflict):
        await sb.save_case(two, clock.now)
    fresh = await sb.get_case(case.id)
    assert fresh is not None and fresh.symptoms == ["jintiao"] and fresh.version == 1
