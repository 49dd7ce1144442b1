"""Crash and resume: SIGKILL in the middle of a broadcast, restart, the broadcast finishes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from bot.alerts.store import AlertStore
from bot.store.db import open_database
from tests.conftest import DIALECTS, database_url_for, read_store
from tests.fakes.botapi import FakeBotApi
from tests.proc import run_bot

pytestmark = pytest.mark.slow

ADMIN = 9
SUBSCRIBERS = range(2000, 2080)
MARK = "crash-test-recovery-scam"
RESUMED = re.compile(r"broadcast 1 resumed: (\d+) sends were in flight")


def deliveries(api: FakeBotApi) -> Counter[int]:
    """Count the alert messages each chat received."""
    return Counter(int(c.params["chat_id"]) for c in api.calls_of("sendMessage")
                   if c.ok and c.chat_id != ADMIN and MARK in str(c.params.get("text", "")))


@pytest.mark.parametrize("store_kind", DIALECTS)
async def test_sigkill_mid_broadcast_then_resume(tmp_path: Path, store_kind: str,
                                                 request: pytest.FixtureRequest) -> None:
    path = tmp_path / "bot.sqlite3"
    url = database_url_for(request, store_kind)
    db = await open_database(url, path)
    store = AlertStore(db)
    for user in SUBSCRIBERS:
        await store.subscribe(user, "zh-CN", 0.0)
    await db.close()
    env = {"ADMIN_IDS": str(ADMIN), "BROADCAST_RATE": "20"}
    if url:
        env["DATABASE_URL"] = url
    # A slow API keeps several sends in flight when the process dies.
    async with FakeBotApi(response_delay=0.15) as api:
        bot = run_bot(path, api.base_url, env)
        await bot.start()
        api.user_sends_text(ADMIN, f"/alert {MARK}")
        await api.wait_for(lambda c: c.method == "sendMessage" and "reply_markup" in c.params
                           and c.chat_id == ADMIN)
        api.user_presses_button(ADMIN, "发送")
        await api.wait_for(lambda c: sum(deliveries(api).values()) >= 30, timeout=15)
        await bot.kill9()
        before = deliveries(api)
        assert 0 < len(before) < len(SUBSCRIBERS), "the kill did not land mid-broadcast"

        again = run_bot(path, api.base_url, env)
        await again.start()
        try:
            line = await again.wait_log("broadcast 1 resumed")
            await again.wait_log("broadcast 1 done", timeout=20)
        finally:
            assert await again.terminate() == 0
        after = deliveries(api)

    match = RESUMED.search(line)
    inflight = int(match.group(1)) if match else 0
    duplicates = sum(n - 1 for n in after.values() if n > 1)
    print(f"\ncrash test: {len(before)} delivered before SIGKILL, {inflight} rows in flight, "
          f"{duplicates} duplicates after resume")
    assert set(after) == set(SUBSCRIBERS), "someone never got the alert"
    assert duplicates <= inflight
    states = {str(r["state"]): int(r["n"]) for r in await read_store(
        url, path, "SELECT state, COUNT(*) AS n FROM alert_deliveries GROUP BY state")}
    (row,) = await read_store(url, path, "SELECT resumed_inflight FROM alert_broadcasts")
    stored = row["resumed_inflight"]
    assert states == {"sent": len(SUBSCRIBERS)}
    assert stored == inflight
