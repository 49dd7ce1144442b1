"""Broadcast benchmarks: the bot as its own process against the fake Bot API in this one.

    .venv/bin/python -m bench.broadcast_bench rate       # 3,000 subscribers, fake enforces 30/s
    .venv/bin/python -m bench.broadcast_bench scale      # 100,000 at BROADCAST_RATE=1000, no limit,
                                                         # plus triage reply latency during it
Options: --subscribers N, --rate R, --connections C, --samples S.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bot.store.db import Database
from tests.fakes.botapi import FakeBotApi
from tests.proc import BotProcess, run_bot

ADMIN = 9
FIRST_SUBSCRIBER = 1_000_000
MARK = "bench-alert-fake-customer-service"


async def make_db(path: Path, subscribers: int) -> None:
    """Create the schema and insert subscribers directly (the bot is not running yet)."""
    db = await Database.open(path)
    await db.close()
    with sqlite3.connect(path) as conn:
        ids = [(FIRST_SUBSCRIBER + i,) for i in range(subscribers)]
        conn.executemany("INSERT INTO users(user_id, locale, created_at, updated_at) "
                         "VALUES (?, 'zh-CN', 0, 0)", ids)
        conn.executemany("INSERT INTO alert_subscribers(user_id, created_at) VALUES (?, 0)", ids)


def alert_calls(api: FakeBotApi) -> list[float]:
    """Return the arrival times of successful alert sends (not the admin's preview)."""
    return [c.at for c in api.calls_of("sendMessage")
            if c.ok and c.chat_id != ADMIN and MARK in str(c.params.get("text", ""))]


def duplicates(api: FakeBotApi) -> int:
    """Count alert messages beyond the first per chat."""
    per_chat = Counter(c.chat_id for c in api.calls_of("sendMessage")
                       if c.ok and c.chat_id != ADMIN and MARK in str(c.params.get("text", "")))
    return sum(n - 1 for n in per_chat.values())


def peak_rss_mb(bot: BotProcess) -> float:
    """Return the bot process's peak resident memory (VmHWM) in MB."""
    assert bot.proc is not None
    for line in Path(f"/proc/{bot.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def reply_latency(api: FakeBotApi, user: int) -> float:
    """Send /start as a new user and time until the bot's reply reaches the fake API."""
    since = len(api.calls)
    start = time.monotonic()
    api.user_sends_text(user, "/start")
    call = await api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == user,
                              timeout=30, since=since)
    return call.at - start


async def latencies(api: FakeBotApi, first_user: int, samples: int) -> list[float]:
    """Take triage reply latency samples, a little apart."""
    out = []
    for i in range(samples):
        out.append(await reply_latency(api, first_user + i))
        await asyncio.sleep(0.2)
    return out


async def start_broadcast(api: FakeBotApi) -> None:
    """Have the bot admin write an alert and press Send."""
    api.user_sends_text(ADMIN, f"/alert {MARK}: 自称京东客服要求注销白条并共享屏幕")
    await api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == ADMIN
                       and "reply_markup" in c.params, timeout=30)
    api.user_presses_button(ADMIN, "发送")


async def run(args: argparse.Namespace) -> None:
    scale = args.case == "scale"
    subscribers = args.subscribers or (100_000 if scale else 3_000)
    rate = args.rate or (1000.0 if scale else 25.0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        t0 = time.monotonic()
        await make_db(path, subscribers)
        print(f"database with {subscribers} subscribers built in {time.monotonic() - t0:.1f} s")
        env = {"ADMIN_IDS": str(ADMIN), "BROADCAST_RATE": str(rate), "LOG_LEVEL": "WARNING",
               "BROADCAST_CONNECTIONS": str(args.connections)}
        limit = None if scale else 30
        async with FakeBotApi(rate_limit_per_s=limit) as api:
            bot = run_bot(path, api.base_url, env)
            await bot.start(ready="")
            await api.wait_for(lambda c: c.method == "getUpdates", timeout=30)
            await asyncio.sleep(1.0)
            baseline: list[float] = []
            busy: list[float] = []
            if scale:
                baseline = await latencies(api, 500_000, args.samples)
            began = time.monotonic()
            await start_broadcast(api)
            if scale:
                await api.wait_for(lambda c: len(alert_calls(api)) >= 0, timeout=30)
                await asyncio.sleep(3.0)  # well into the run
                busy = await latencies(api, 600_000, args.samples)
            while len(alert_calls(api)) < subscribers:
                await asyncio.sleep(0.5)
                if time.monotonic() - began > subscribers / rate * 3 + 60:
                    print("timed out waiting for the broadcast", file=sys.stderr)
                    break
            wall = time.monotonic() - began
            await asyncio.sleep(1.0)
            memory = peak_rss_mb(bot)
            await bot.terminate()
            times = sorted(alert_calls(api))
            achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
            print(f"case: {args.case}; subscribers {subscribers}; BROADCAST_RATE {rate:g}/s; "
                  f"server limit {limit or 'none'}; sender connections {args.connections}")
            print(f"delivered: {len(times)} / {subscribers}; duplicates: {duplicates(api)}; "
                  f"429s received: {api.stats['429']}")
            print(f"achieved rate: {achieved:.1f}/s = {achieved / rate:.3f} of BROADCAST_RATE "
                  f"(first to last delivery, {times[-1] - times[0]:.1f} s)")
            print(f"wall time from Send to last delivery: {wall:.1f} s; "
                  f"bot peak memory (VmHWM): {memory:.0f} MB")
            if scale:
                b, d = statistics.median(baseline), statistics.median(busy)
                b90 = statistics.quantiles(baseline, n=10)[-1]
                d90 = statistics.quantiles(busy, n=10)[-1]
                print(f"triage reply latency, median: {b * 1000:.1f} ms idle, "
                      f"{d * 1000:.1f} ms during the broadcast, ratio {d / b:.2f}x")
                print(f"triage reply latency, p90: {b90 * 1000:.1f} ms idle, "
                      f"{d90 * 1000:.1f} ms during the broadcast, ratio {d90 / b90:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("case", choices=["rate", "scale"])
    parser.add_argument("--subscribers", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--samples", type=int, default=20)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
