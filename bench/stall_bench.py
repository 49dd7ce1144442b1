"""How long can background work freeze the event loop? Retention purge and broadcast set-up.

Builds (once, cached) a database with N users, N cases (2 history lines each; a tenth of them
closed long ago) and N alert subscribers, then on a fresh copy for each scenario runs the
operation while a probe on the same event loop wakes every 5 ms and does an inline user lookup
(what every update does first). Printed: the longest stall the probe saw (how late it ran, lookup
included), the 99th percentile, and how long the operation took.

"before" runs the statements the store used until this change (copied below: one DELETE for
every expired case, one INSERT ... SELECT for every recipient); "after" runs the store's own
methods (batches with a pause between them). Stopping a broadcast that has not sent anything yet
cancels every recipient's row.

    .venv/bin/python -m bench.stall_bench                 # 1,000,000 cases and subscribers
    .venv/bin/python -m bench.stall_bench --n 200000      # quicker
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

from bot.alerts.store import AlertStore, BroadcastState
from bot.store.cases import Store
from bot.store.db import Database, Tx

DAY = 86400.0
NOW = 1_800_000_000.0
RETENTION = 180 * DAY
PROBE_EVERY_S = 0.005


async def _migrated(path: Path) -> None:
    db = await Database.open(path)
    await db.close()


def build(path: Path, n: int) -> None:
    """Create the database: users, cases (a tenth expired), events and subscribers."""
    asyncio.run(_migrated(path))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    expired = n // 10

    def users() -> Iterator[tuple[int, str, float, float, float]]:
        for u in range(1, n + 1):
            yield (u, "zh-CN" if u % 3 else "en", NOW - DAY, NOW - DAY, NOW - DAY)

    def cases() -> Iterator[tuple[int, int, str, float, float, float | None]]:
        for u in range(1, n + 1):
            old = u % 10 == 0 and u // 10 <= expired
            at = NOW - 400 * DAY if old else NOW - DAY
            yield (u, u, "closed" if old else "planned", at, at, at if old else None)

    def events() -> Iterator[tuple[int, float, str, str]]:
        for u in range(1, n + 1):
            yield (u, NOW - DAY, "opened", "{}")
            yield (u, NOW - DAY, "answered", json.dumps({"step": "amount", "answer": "1299.5"}))

    with conn:
        conn.executemany("INSERT INTO users(user_id, locale, consent_at, created_at, updated_at) "
                         "VALUES (?,?,?,?,?)", users())
        conn.executemany("INSERT INTO cases(id, user_id, status, created_at, updated_at, "
                         "closed_at) VALUES (?,?,?,?,?,?)", cases())
        conn.execute("UPDATE users SET current_case=user_id")
        conn.executemany("INSERT INTO case_events(case_id, at, kind, data) VALUES (?,?,?,?)",
                         events())
        conn.executemany("INSERT INTO alert_subscribers(user_id, created_at) VALUES (?,?)",
                         ((u, NOW - DAY) for u in range(1, n + 1)))
        conn.execute("INSERT INTO alert_broadcasts(author_id, origin_chat, locale, body, state, "
                     "created_at) VALUES (1, 1, 'zh-CN', 'bench', 'draft', ?)", (NOW,))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


# ---- what the store did before (copied from the store as it was) ---------------------------


async def legacy_purge(db: Database) -> int:
    async def purge(tx: Tx) -> int:
        count = await tx.execute(
            "DELETE FROM cases WHERE (closed_at IS NOT NULL AND closed_at < ?) "
            "OR updated_at < ?",
            (NOW - RETENTION, NOW - 2 * RETENTION),
        )
        await tx.execute(
            "UPDATE users SET current_case=NULL WHERE current_case IS NOT NULL AND "
            "current_case NOT IN (SELECT id FROM cases)"
        )
        return int(count)

    return await db.write(purge)


async def legacy_start(db: Database) -> int:
    async with db.transaction() as conn:
        await conn.execute("UPDATE alert_broadcasts SET state=?, started_at=? WHERE id=1",
                           (BroadcastState.RUNNING.value, NOW))
        await conn.execute(
            "INSERT INTO alert_deliveries(broadcast_id, chat_id, user_id, is_group, locale) "
            "SELECT ?, s.user_id, s.user_id, 0, COALESCE(u.locale, ?) "
            "FROM alert_subscribers s LEFT JOIN users u ON u.user_id = s.user_id",
            (1, "zh-CN"),
        )
        await conn.execute(
            "INSERT INTO alert_deliveries(broadcast_id, chat_id, user_id, is_group, locale) "
            "SELECT ?, chat_id, NULL, 1, ? FROM alert_groups WHERE alerts_on=1 AND gone=0",
            (1, "zh-CN"),
        )
        total = int(await conn.fetchval(
            "SELECT COUNT(*) FROM alert_deliveries WHERE broadcast_id=1"))
        await conn.execute("UPDATE alert_broadcasts SET total=? WHERE id=1", (total,))
    return total


# ---- the new store ----------------------------------------------------------------------------


async def new_purge(db: Database) -> int:
    store = Store(db)
    alerts = AlertStore(db)
    alerts.attach(store.privacy)
    result = await store.retention(NOW - RETENTION, NOW - 2 * RETENTION)
    return result.cases


async def new_start(db: Database) -> int:
    total = await AlertStore(db).start(1, NOW, 1, 1, "zh-CN")
    return total or 0


async def finished_broadcast(db: Database) -> None:
    """Set-up for compaction (not measured): a started, fully sent and finished broadcast."""
    await AlertStore(db).start(1, NOW, 1, 1, "zh-CN")
    await db.execute("UPDATE alert_broadcasts SET state='done', finished_at=? WHERE id=1", (NOW,))
    await db.execute("UPDATE alert_deliveries SET state='sent' WHERE broadcast_id=1")
    await db.checkpoint()


async def running_broadcast(db: Database) -> None:
    """Set-up for stopping (not measured): a started broadcast, nothing sent yet."""
    await AlertStore(db).start(1, NOW, 1, 1, "zh-CN")
    await db.checkpoint()


async def legacy_stop(db: Database) -> int:
    async with db.transaction() as conn:
        await conn.execute("UPDATE alert_broadcasts SET state='cancelled', finished_at=? "
                           "WHERE id=1", (NOW,))
        return await conn.execute("UPDATE alert_deliveries SET state='cancelled' "
                                  "WHERE broadcast_id=1 AND state='pending'")


async def new_stop(db: Database) -> int:
    alerts = AlertStore(db)
    await alerts.cancel(1, NOW)
    return (await alerts.counts(1)).cancelled


async def new_compact(db: Database) -> int:
    removed = await AlertStore(db).compact(1)
    await db.checkpoint()
    return removed


# ---- measuring ------------------------------------------------------------------------------


Operation = Callable[[Database], Awaitable[int]]
Setup = Callable[[Database], Awaitable[None]]


async def measure(path: Path, n: int, setup: Setup | None,
                  operation: Operation) -> tuple[float, float, float, int]:
    """Run an operation with the probe beside it; return (max stall, p99, seconds, result)."""
    db = await Database.open(path)
    if setup is not None:
        await setup(db)
    store = Store(db)
    lags: list[float] = []
    stop = asyncio.Event()

    async def probe() -> None:
        rnd = random.Random(7)
        while not stop.is_set():
            due = time.perf_counter() + PROBE_EVERY_S
            await asyncio.sleep(PROBE_EVERY_S)
            await store.get_user(rnd.randint(1, n))
            lags.append(time.perf_counter() - due)

    task = asyncio.create_task(probe())
    await asyncio.sleep(0.2)
    lags.clear()
    t0 = time.perf_counter()
    result = await operation(db)
    seconds = time.perf_counter() - t0
    stop.set()
    await task
    await db.close()
    lags.sort()
    p99 = lags[int(len(lags) * 0.99) - 1] if lags else 0.0
    return (lags[-1] if lags else 0.0), p99, seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="cases and subscribers")
    parser.add_argument("--dir", type=Path, default=Path("data/bench"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    base = args.dir / f"stall-{args.n}.sqlite3"
    if not base.exists():
        t = time.perf_counter()
        tmp = base.with_suffix(".building")
        for suffix in ("", "-wal", "-shm"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        build(tmp, args.n)
        tmp.rename(base)
        print(f"built {base} in {time.perf_counter() - t:.0f} s")
    scenarios: list[tuple[str, Setup | None, Operation]] = [
        ("purge 10% of cases   before", None, legacy_purge),
        ("purge 10% of cases   after", None, new_purge),
        ("start broadcast      before", None, legacy_start),
        ("start broadcast      after", None, new_start),
        ("stop it at once      before", running_broadcast, legacy_stop),
        ("stop it at once      after", running_broadcast, new_stop),
        ("compact its rows     after", finished_broadcast, new_compact),
    ]
    print(f"{args.n:,} cases and subscribers; probe every {PROBE_EVERY_S * 1000:.0f} ms "
          "(inline user lookup)")
    print(f"{'scenario':<28} {'longest stall':>14} {'p99 stall':>10} {'took':>8}  result")
    for name, setup, operation in scenarios:
        work = args.dir / "stall-work.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
        shutil.copyfile(base, work)
        worst, p99, seconds, result = asyncio.run(measure(work, args.n, setup, operation))
        print(f"{name:<28} {worst * 1000:>11.0f} ms {p99 * 1000:>7.0f} ms {seconds:>7.1f} s  "
              f"{result:,} rows")


if __name__ == "__main__":
    main()
