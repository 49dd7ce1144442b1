"""Scam alerts offline: subscriptions, group switch, admin checks, preview, broadcast, limits."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.alerts.buttons import SendAlert, StopAlert, SubscribeAlerts
from bot.alerts.handlers import alerts_of
from bot.alerts.store import BroadcastState
from bot.alerts.texts import alert_text
from bot.handlers.views import Views
from bot.transport.local import bot_user, user_json
from tests.conftest import (
    FakeClock,
    Harness,
    both_dialects,
    database_url_for,
    make_settings,
    start_harness,
    stop_harness,
)

# The store-level and harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

ADMIN = 9
GROUP = -100500


@pytest.fixture
async def h(tmp_path: Path, clock: FakeClock, dialect: str,
            request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """A started offline bot with one bot admin and a fast broadcast rate."""
    settings = make_settings(tmp_path, admin_ids=frozenset({ADMIN}), broadcast_rate=1000,
                             alert_max_per_hour=2, database_url=database_url_for(request, dialect))
    harness = await start_harness(settings, clock)
    try:
        yield harness
    finally:
        await stop_harness(harness)


def member_update(chat_id: int, old: str, new: str, by: int = 5) -> dict[str, Any]:
    """A my_chat_member update: the bot's status in a group changed."""
    return {"my_chat_member": {
        "chat": {"id": chat_id, "type": "supergroup", "title": "Group"},
        "from": user_json(by),
        "date": int(time.time()),
        "old_chat_member": {"status": old, "user": bot_user(), "until_date": 0},
        "new_chat_member": {"status": new, "user": bot_user(), "until_date": 0},
    }}


async def add_group(h: Harness, chat_id: int = GROUP, admin: int = 5) -> None:
    """Add the bot to a group and have its admin turn alerts on."""
    await h.app.process_update(h.updates.raw(member_update(chat_id, "left", "member")))
    h.api.chat_members[(chat_id, admin)] = "administrator"
    await h.send("/alerts_on", user=admin, chat_id=chat_id)


def alert_sends(h: Harness, marker: str, since: int = 0) -> Counter[int]:
    """Count, per chat, the messages that carry an alert's text."""
    return Counter(int(c.params["chat_id"]) for c in h.api.calls[since:]
                   if c.method == "sendMessage" and marker in str(c.params.get("text", "")))


async def drain(h: Harness) -> None:
    sender = alerts_of(h.svc).sender
    assert sender is not None
    await sender.drain(10)


# ---- subscribers -----------------------------------------------------------------------------


async def test_subscribe_unsubscribe_and_delete(h: Harness) -> None:
    store = alerts_of(h.svc).store
    await h.send("/subscribe", user=1)
    assert h.saw(1, "alerts-subscribed")
    assert await store.is_subscribed(1)
    await h.send("/subscribe", user=1)
    assert h.saw(1, "alerts-already-subscribed")
    await h.send("/unsubscribe", user=1)
    assert h.saw(1, "alerts-unsubscribed")
    assert not await store.is_subscribed(1)
    # /delete takes the subscription with it (foreign key to users).
    await h.send("/subscribe", user=1)
    await h.send("/delete", user=1)
    await h.press(h.t("btn-delete-yes"), user=1)
    assert not await store.is_subscribed(1)
    assert await h.svc.store.get_user(1) is None


async def test_subscribe_in_group_points_to_private(h: Harness) -> None:
    await h.send("/subscribe", user=1, chat_id=GROUP)
    assert h.saw(GROUP, "alerts-private-only")
    assert not await alerts_of(h.svc).store.is_subscribed(1)


async def test_plan_offers_subscribe(h: Harness) -> None:
    await h.send("/start", user=1)
    await h.press(h.t("btn-consent-yes"), user=1)
    case = await h.svc.store.create_case(1, h.svc.flow.start, h.clock.now)
    screen = Views(h.svc, "zh-CN").plan_now(case)
    assert screen.keyboard is not None
    datas = [b.callback_data for row in screen.keyboard.inline_keyboard for b in row]
    assert SubscribeAlerts().pack() in datas
    sent = await h.send("/case", user=1)
    message = sent[-1].result
    await h.press_data(SubscribeAlerts().pack(), message, user=1)
    assert await alerts_of(h.svc).store.is_subscribed(1)
    assert h.saw(1, "alerts-subscribed")


# ---- groups ----------------------------------------------------------------------------------


async def test_group_registered_switched_and_gone(h: Harness) -> None:
    store = alerts_of(h.svc).store
    await h.app.process_update(h.updates.raw(member_update(GROUP, "left", "member")))
    group = await store.group(GROUP)
    assert group is not None and not group.alerts_on and not group.gone
    assert h.saw(GROUP, "group-welcome")
    await h.send("/alerts_on", user=6, chat_id=GROUP)  # a plain member
    assert h.saw(GROUP, "group-admin-only")
    assert not (await store.group(GROUP)).alerts_on  # type: ignore[union-attr]
    h.api.chat_members[(GROUP, 5)] = "creator"
    await h.send("/alerts on", user=5, chat_id=GROUP)
    assert (await store.group(GROUP)).alerts_on  # type: ignore[union-attr]
    await h.send("/alerts_off", user=5, chat_id=GROUP)
    assert not (await store.group(GROUP)).alerts_on  # type: ignore[union-attr]
    await h.app.process_update(h.updates.raw(member_update(GROUP, "member", "kicked")))
    assert (await store.group(GROUP)).gone  # type: ignore[union-attr]


# ---- admin checks ----------------------------------------------------------------------------


async def test_group_admin_allowed(h: Harness) -> None:
    await add_group(h)
    await h.send("/alert 新骗局：自称客服要求注销白条", user=5, chat_id=GROUP)
    assert h.saw(GROUP, "alert-confirm", users=0, groups=1)
    assert ("getChatMember", GROUP, 5) in [
        (c.method, int(c.params.get("chat_id", 0)), int(c.params.get("user_id", 0)))
        for c in h.api.calls]


async def test_group_creator_allowed(h: Harness) -> None:
    await add_group(h)
    h.api.chat_members[(GROUP, 7)] = "creator"
    await h.send("/alert 骗局", user=7, chat_id=GROUP)
    assert any(h.t("btn-alert-send") in b for b in h.buttons(GROUP))


async def test_group_member_refused(h: Harness) -> None:
    await add_group(h)
    await h.send("/alert 骗局", user=6, chat_id=GROUP)
    assert h.saw(GROUP, "alert-refused")
    assert not any(h.t("btn-alert-send") in b for b in h.buttons(GROUP))
    assert await alerts_of(h.svc).store.recent(10, states=list(BroadcastState)) == []


async def test_bot_admin_allowed_in_private_others_refused(h: Harness) -> None:
    await h.send("/alert 骗局", user=ADMIN)
    assert any(h.t("btn-alert-send") in b for b in h.buttons(ADMIN))
    await h.send("/alert 骗局", user=2)
    assert h.saw(2, "alert-refused")
    assert h.buttons(2) == []


async def test_forged_press_on_someone_elses_preview_refused(h: Harness) -> None:
    await add_group(h)
    await h.send("/subscribe", user=1)
    await h.send("/alert 骗局", user=5, chat_id=GROUP)
    message, data = h.find_button(GROUP, h.t("btn-alert-send"))
    before = len(h.api.sent())
    await h.press_data(data, message, user=6)  # a member presses the admin's Send
    assert h.alerts()[-1] == h.t("alert-not-yours")
    row = await alerts_of(h.svc).store.broadcast(SendAlert.model_validate(
        {"id": data.split(":")[1]}).id)
    assert row is not None and row.state is BroadcastState.DRAFT
    assert len(h.api.sent()) == before
    # An admin of the group who is not the author is refused too.
    h.api.chat_members[(GROUP, 8)] = "administrator"
    await h.press_data(data, message, user=8)
    assert h.alerts()[-1] == h.t("alert-not-yours")


async def test_rights_checked_again_at_send(h: Harness) -> None:
    await add_group(h)
    await h.send("/alert 骗局", user=5, chat_id=GROUP)
    h.api.chat_members[(GROUP, 5)] = "member"  # demoted after the preview
    await h.press(h.t("btn-alert-send"), user=5, chat_id=GROUP)
    assert h.alerts()[-1] == h.t("alert-refused")
    rows = await alerts_of(h.svc).store.recent(10, states=[BroadcastState.DRAFT])
    assert len(rows) == 1


# ---- broadcasting ----------------------------------------------------------------------------


async def test_broadcast_reaches_everyone_once_with_summary(h: Harness) -> None:
    for user in (1, 2, 3):
        await h.send("/subscribe", user=user, lang="en" if user == 3 else "zh-CN")
    await add_group(h)
    await h.send("/alert 有人冒充客服说要<关闭百万保障>", user=5, chat_id=GROUP)
    preview = len(h.api.calls)
    await h.press(h.t("btn-alert-send"), user=5, chat_id=GROUP)
    await drain(h)
    sends = alert_sends(h, "&lt;关闭百万保障&gt;", since=preview)
    assert sends == {1: 1, 2: 1, 3: 1, GROUP: 1}
    texts = {int(c.params["chat_id"]): c.params["text"] for c in h.api.calls[preview:]
             if c.method == "sendMessage" and "百万保障" in str(c.params["text"])}
    body = "有人冒充客服说要<关闭百万保障>"
    assert texts[3] == alert_text(h.svc, body, "en", False)
    assert texts[1] == alert_text(h.svc, body, "zh-CN", False)
    assert texts[GROUP] == alert_text(h.svc, body, "zh-CN", True)
    assert h.saw(GROUP, "alert-summary-done", id=1, sent=4, total=4, failed=0, blocked=0,
                 unknown=0)
    await h.send("/alerts", user=1)
    assert "关闭百万保障" in h.last_text(1)
    await h.send("/broadcasts", user=5, chat_id=GROUP)
    assert h.saw(GROUP, "broadcasts-item", id=1, date=h.svc.fmt_time(h.clock.now),
                 state=h.t("broadcast-state-done"), sent=4, total=4, failed=0, blocked=0,
                 unknown=0)


async def test_cancel_preview_sends_nothing(h: Harness) -> None:
    await h.send("/subscribe", user=1)
    await h.send("/alert 假快递理赔群", user=ADMIN)
    await h.press(h.t("btn-alert-cancel"), user=ADMIN)
    assert h.saw(ADMIN, "alert-discarded")
    await drain(h)
    assert alert_sends(h, "假快递理赔群")[1] == 0


async def test_stop_button_cancels_the_rest(h: Harness) -> None:
    store = alerts_of(h.svc).store
    for user in range(100, 160):
        await store.subscribe(user, "zh-CN", h.clock.now)
    sender = alerts_of(h.svc).sender
    assert sender is not None
    sender.pacer.rate, sender.pacer.interval = 20.0, 0.05  # slow enough to stop mid-way
    await h.send("/alert 骗局", user=ADMIN)
    await h.press(h.t("btn-alert-send"), user=ADMIN)
    message, data = h.find_button(ADMIN, h.t("btn-alert-stop"))
    assert data == StopAlert(id=1).pack()
    await h.press_data(data, message, user=2)  # not the author: refused
    assert h.alerts()[-1] == h.t("alert-not-yours")
    await h.press_data(data, message, user=ADMIN)
    await drain(h)
    counts = await store.counts(1)
    assert counts.cancelled > 0 and counts.sent + counts.cancelled == 60
    assert counts.remaining == 0
    assert (await store.broadcast(1)).state is BroadcastState.CANCELLED  # type: ignore[union-attr]
    assert h.saw(ADMIN, "alert-summary-cancelled", id=1, sent=counts.sent, total=60,
                 cancelled=counts.cancelled, failed=0, blocked=0, unknown=0)


async def test_too_long_refused(h: Harness) -> None:
    await h.send("/alert " + "<" * 1000, user=ADMIN)  # 4,000 characters once escaped
    assert any("4096" in t for t in h.texts(ADMIN))
    assert h.buttons(ADMIN) == []


async def test_per_admin_hourly_limit(h: Harness) -> None:
    for _ in range(2):
        await h.send("/alert 骗局", user=ADMIN)
        await h.press(h.t("btn-alert-send"), user=ADMIN)
        await drain(h)
    await h.send("/alert 骗局", user=ADMIN)
    assert h.saw(ADMIN, "alert-rate-limited", max=2)
    h.clock.advance(3601)
    await h.send("/alert 骗局三", user=ADMIN)
    assert any(h.t("btn-alert-send") in b for b in h.buttons(ADMIN))


async def test_usage_without_text(h: Harness) -> None:
    await h.send("/alert", user=ADMIN)
    assert h.saw(ADMIN, "alert-usage")


async def test_export_includes_subscription_and_reminders(harness: Harness) -> None:
    """/export carries every feature's rows about the user, not only cases (PIPL)."""
    import json

    h = harness
    await h.send("/start")
    await h.press(h.t("btn-consent-yes"))
    await h.press(h.t("symptom-jintiao"))
    await h.press(h.t("btn-done"))
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-hour"))
    await h.send("300")
    await h.press(h.t("q-cause-none"))
    await h.press(h.t("q-police-reported"))
    await h.send("/subscribe")
    calls = await h.send("/export")
    docs = [c for c in calls if c.method == "sendDocument"]
    assert len(docs) == 1
    payload = json.loads(docs[0].params["_uploads"]["document"])
    assert payload["alert_subscription"]["subscribed"] is True
    assert payload["followups"], "the case's reminders are missing from the export"
    assert {f["case_id"] for f in payload["followups"]} == {payload["cases"][0]["id"]}
