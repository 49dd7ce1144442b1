"""The sender against a fake Bot API over HTTP: blocked users, RetryAfter, migration, timeouts."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.alerts.pacer import Pacer
from bot.alerts.sender import Sender, SenderConfig
from bot.alerts.store import AlertStore, BroadcastState
from bot.alerts.texts import alert_text, status_screen
from bot.alerts.transport import AiohttpPost
from bot.app import build_services
from bot.services import Services
from tests.conftest import FakeClock, both_dialects, database_url_for, make_settings
from tests.fakes.botapi import FakeBotApi
from tests.proc import TEST_TOKEN

ADMIN = 9
USERS = list(range(1001, 1031))
BLOCKED = (1003, 1007)
FLOOD = 1010
TIMED_OUT = 1015
DROPPED = 1020
BAD = 1025
OLD_GROUP, NEW_GROUP, GROUP = -5001, -1005001, -5002
MARK = "fake-parcel-compensation-scam"


# The sender's store runs on SQLite and on PostgreSQL.
dialect = both_dialects


@pytest.fixture
async def svc(tmp_path: Path, dialect: str,
              request: pytest.FixtureRequest) -> AsyncIterator[Services]:
    settings = make_settings(tmp_path, database_url=database_url_for(request, dialect))
    services = await build_services(settings, clock=FakeClock())
    try:
        yield services
    finally:
        await services.db.close()


async def test_every_recipient_ends_counted_and_nobody_twice(svc: Services) -> None:
    store = AlertStore(svc.db)
    now = svc.now()
    for user in USERS:
        await store.subscribe(user, "en" if user % 2 else "zh-CN", now)
    for group in (OLD_GROUP, GROUP):
        await store.set_group_alerts(group, True, now)
    async with FakeBotApi() as api:
        for user in BLOCKED:
            api.set_error(user, "forbidden")
        api.set_error(FLOOD, "retry_after", times=1, retry_after=1)
        api.set_error(OLD_GROUP, "migrated", migrate_to_chat_id=NEW_GROUP)
        api.set_error(TIMED_OUT, "timeout", times=1, delay=1.0)  # answered after it was sent
        api.set_error(DROPPED, "disconnect", times=2)  # dropped before it was handled
        api.set_error(BAD, "bad_request")
        post = AiohttpPost(api.base_url, TEST_TOKEN, connections=4, read_timeout=0.3)
        async with Bot(TEST_TOKEN, base_url=api.base_url) as bot:
            status = await bot.send_message(ADMIN, "status")
            draft = await store.create_draft(ADMIN, ADMIN, "en", MARK, now)
            total = await store.start(draft.id, now, ADMIN, status.message_id, "zh-CN")
            assert total == len(USERS) + 2
            sender = Sender(
                svc, store, post, SenderConfig(rate=200, concurrency=4, progress_interval_s=0.2),
                render_text=lambda row, locale, group: alert_text(svc, row.body, locale, group),
                render_progress=lambda row, c, eta: status_screen(svc, row, c, eta),
            )
            await sender.start()
            try:
                await sender.drain(20)
            finally:
                await sender.stop()
                await post.close()

        delivered = Counter(int(c.params["chat_id"]) for c in api.calls_of("sendMessage")
                            if c.ok and MARK in str(c.params["text"]))
        counts = await store.counts(draft.id)
        row = await store.broadcast(draft.id)

    assert row is not None and row.state is BroadcastState.DONE
    assert max(delivered.values()) == 1, "somebody got the alert twice"
    expected = {*USERS, NEW_GROUP, GROUP} - {*BLOCKED, BAD}
    assert set(delivered) == expected
    # Every row ends in a final state, and the figures add up.
    assert counts.remaining == 0
    assert (counts.sent, counts.blocked, counts.failed, counts.unknown) == (
        len(expected) - 1, len(BLOCKED), 1, 1)
    assert counts.total == counts.sent + counts.blocked + counts.failed + counts.unknown
    # The timed-out send reached the fake once and is not resent: counted as unconfirmed.
    assert delivered[TIMED_OUT] == 1
    assert sender.stats.retry_after == 1
    assert api.stats["fault:disconnect"] == 2
    # Blocked users are unsubscribed; the migrated group is stored under its new id.
    for user in BLOCKED:
        assert not await store.is_subscribed(user)
    assert await store.group(OLD_GROUP) is None
    group = await store.group(NEW_GROUP)
    assert group is not None and group.alerts_on
    # The status message ends as the summary.
    final = api.message(ADMIN, status.message_id)["text"]
    assert f"{len(expected) - 1} / {total}" in final


async def test_pacer_keeps_rate_and_chat_limits() -> None:
    now = [100.0]
    pacer = Pacer(10, clock=lambda: now[0])
    pacer.note(1, False)
    assert pacer.ready_at(1, False) == 101.0
    for _ in range(20):
        pacer.note(-7, True)
        now[0] += 1.5
    # 20 messages to a group within a minute: the next waits for the oldest to age out.
    assert pacer.ready_at(-7, True) > now[0]
    pacer.pause(5)
    assert pacer.paused_for == 5
