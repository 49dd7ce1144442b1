"""1, 2 and 3 webhook instances on one database: triage, reminders, broadcast, peak rate.

    .venv/bin/python -m bench.multi_bench                       # 40 users, 300 reminders, 600
    .venv/bin/python -m bench.multi_bench --users 60 --reminders 500 --subscribers 1000
    .venv/bin/python -m bench.multi_bench --postgresql          # PostgreSQL (pgserver) too
    .venv/bin/python -m bench.multi_bench --postgresql postgresql://user@host/db

Without ``--postgresql`` every configuration runs on a SQLite file. With it, triage runs on
SQLite with 1 instance and on PostgreSQL with 1, 2 and 3 (ratios against SQLite 1 of the same
run), reminders and broadcast on PostgreSQL with 1 and 3. PostgreSQL is a server the bench
starts (pgserver, its binaries from pip, a Unix socket in a temporary folder) or the one at the
URL given: each configuration gets a fresh database created there (and dropped after), so the
URL's user needs CREATEDB. Data is prepared in a SQLite file and copied with ``db copy``'s code.

Each configuration starts N ``python -m bot webhook`` processes on a fresh database behind the
round-robin proxy of the tests (``tests/multi_kit.py``), the fake Bot API posting updates to the
proxy and enforcing Telegram's 30 messages per second (429 beyond). Measured, per N:

* triage: ``--users`` users walk the whole triage at once (9 updates each, each user waiting
  for the answer before the next); updates per second over the whole crowd and p50 / p99 of
  one step (from the update queued to its answer arriving);
* reminders (N = 1 and 3): ``--reminders`` reminders fall due together; reminders per second
  from the first to the last sent;
* broadcast (N = 1 and 3): an alert to ``--subscribers`` subscribers at ``--broadcast-rate``;
  messages per second from the first to the last;
* the most messages the fake answered in any one second, and its 429 answers.

Ratios are printed against the first configuration of the same run. The message budget is
bot-wide (each instance paces at its share), so wherever messages are the bottleneck more
instances do not send faster: they add capacity for handling and survive a lost instance.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import shutil
import statistics
import tempfile
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from bench.followups_data import populate
from tests.fakes.botapi import Call, FakeBotApi
from tests.multi_kit import (
    Cluster,
    T,
    add_subscribers,
    alert_counts,
    broadcast,
    copy_to_postgresql,
    max_per_second,
    method_to,
    press_label,
    shows,
    shows_case,
)

FIRST_USER = 400_000
MARK = "multi-bench-alert"


class Pg:
    """A PostgreSQL server to create one fresh database per configuration on."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._n = itertools.count(1)

    @contextlib.asynccontextmanager
    async def fresh(self) -> AsyncIterator[str]:
        """Create an empty database, yield its URL, drop it at the end."""
        import asyncpg

        name = f"jdmultibench_{os.getpid()}_{next(self._n)}"
        admin = await asyncpg.connect(self.admin_url)
        try:
            await admin.execute(f"CREATE DATABASE {name}")
        finally:
            await admin.close()
        try:
            yield urlsplit(self.admin_url)._replace(path=f"/{name}").geturl()
        finally:
            admin = await asyncpg.connect(self.admin_url)
            try:
                await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            finally:
                await admin.close()


@contextlib.contextmanager
def postgresql(url: str | None) -> Iterator[Pg | None]:
    """None without ``--postgresql``; the given server, or one started here with pgserver."""
    if url is None:
        yield None
        return
    if url != "pgserver":
        yield Pg(url)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, when XDG_RUNTIME_DIR is unset
        import pgserver
    folder = Path(tempfile.mkdtemp(prefix="jdpgb-"))  # short: the socket path has a limit
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield Pg(f"postgresql://postgres@/postgres?host={folder}")
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.asynccontextmanager
async def database(pg: Pg | None, db: Path) -> AsyncIterator[str | None]:
    """The database of one configuration: None (the SQLite file ``db``), or the URL of a fresh
    PostgreSQL database holding a copy of ``db`` when it was prepared."""
    if pg is None:
        yield None
        return
    async with pg.fresh() as url:
        if await asyncio.to_thread(db.exists):
            await copy_to_postgresql(db, url)
        yield url


async def timed_triage(api: FakeBotApi, u: int, waits: list[float]) -> None:
    """One user's triage, recording each step's wait."""
    def press(key: str) -> Callable[[], object]:
        return lambda: press_label(api, u, T("en", key))

    def say(text: str) -> Callable[[], object]:
        return lambda: api.user_sends_text(u, text, language_code="en")

    steps: list[tuple[Callable[[], object], Callable[[Call], bool]]] = [
        (say("/start"), shows("welcome", u)),
        (press("btn-consent-yes"), shows("triage-symptoms-prompt", u)),
        (press("symptom-jintiao"), method_to("editMessageReplyMarkup", u)),
        (press("btn-done"), shows("triage-emergency-prompt", u)),
        (press("btn-proceed"), shows("q-noticed", u)),
        (press("q-noticed-hour"), shows("q-amount", u)),
        (say("1299"), shows("q-cause", u)),
        (press("q-cause-none"), shows("q-police", u)),
        (press("q-police-reported"), shows_case("plan-footer", u)),
    ]
    for action, until in steps:
        since = len(api.calls)
        started = time.monotonic()
        action()
        await api.wait_for(until, 120, since=since)
        waits.append(time.monotonic() - started)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def run_triage(n: int, users: int, pg: Pg | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.sqlite3"
        async with database(pg, db) as url, FakeBotApi(rate_limit_per_s=30) as api:
            c = Cluster(db, api, n, database_url=url)
            await c.start()
            try:
                waits: list[float] = []
                started = time.monotonic()
                await asyncio.gather(*(timed_triage(api, FIRST_USER + i, waits)
                                       for i in range(users)))
                wall = time.monotonic() - started
            finally:
                await c.stop()
            return {"updates_s": len(waits) / wall, "p50": statistics.median(waits),
                    "p99": pct(waits, 0.99), "max_1s": max_per_second(api),
                    "429": api.stats["429"]}


async def run_reminders(n: int, count: int, pg: Pg | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.sqlite3"
        due = time.time() + 12 + 2 * n + (5 if pg else 0)
        users = range(FIRST_USER, FIRST_USER + count)
        populate(db, users, 1, lambda i, k: due, now=due - 3600)
        async with database(pg, db) as url, FakeBotApi(rate_limit_per_s=30) as api:
            c = Cluster(db, api, n, database_url=url)
            await c.start()
            try:
                deadline = time.monotonic() + 60 + count / 10
                while time.monotonic() < deadline:
                    sent = [x.at for x in api.calls_of("sendMessage")
                            if x.ok and x.chat_id in users]
                    if len(sent) >= count:
                        break
                    await asyncio.sleep(0.2)
            finally:
                await c.stop()
            span = max(sent) - min(sent) if len(sent) > 1 else 1.0
            return {"per_s": len(sent) / span, "sent": len(sent), "max_1s": max_per_second(api),
                    "429": api.stats["429"]}


async def run_broadcast(n: int, count: int, rate: float, pg: Pg | None = None
                        ) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bot.sqlite3"
        subscribers = range(FIRST_USER, FIRST_USER + count)
        populate(db, range(0), 0, lambda i, k: 0.0)
        add_subscribers(db, subscribers)
        limit = 30 if rate <= 25 else None
        async with database(pg, db) as url, FakeBotApi(rate_limit_per_s=limit) as api:
            c = Cluster(db, api, n, env={"BROADCAST_RATE": str(rate)}, database_url=url)
            await c.start()
            try:
                await broadcast(api, MARK)
                deadline = time.monotonic() + 60 + count / rate * 2
                while time.monotonic() < deadline:
                    if len(alert_counts(api, MARK)) >= count:
                        break
                    await asyncio.sleep(0.2)
            finally:
                await c.stop()
            times = [x.at for x in api.calls_of("sendMessage")
                     if x.ok and x.chat_id != 9 and MARK in str(x.params.get("text", ""))]
            span = max(times) - min(times) if len(times) > 1 else 1.0
            counts = alert_counts(api, MARK)
            return {"per_s": len(times) / span, "reached": len(counts),
                    "dupes": sum(v - 1 for v in counts.values()),
                    "max_1s": max_per_second(api), "429": api.stats["429"]}


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--reminders", type=int, default=300)
    parser.add_argument("--subscribers", type=int, default=600)
    parser.add_argument("--broadcast-rate", type=float, default=25.0)
    parser.add_argument("--parts", default="triage,reminders,broadcast",
                        help="which measurements, comma-separated")
    parser.add_argument("--postgresql", nargs="?", const="pgserver", default=None,
                        metavar="URL", help="also PostgreSQL: a server started here (pgserver), "
                        "or the one at URL (a fresh database per configuration)")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    with postgresql(args.postgresql) as pg:
        if "triage" in parts:
            await triage_part(args.users, pg)
        if "reminders" in parts:
            await reminders_part(args.reminders, pg)
        if "broadcast" in parts:
            await broadcast_part(args.subscribers, args.broadcast_rate, pg)


def configurations(pg: Pg | None, counts: tuple[int, ...]
                   ) -> list[tuple[str, int, Pg | None]]:
    """(store name, instances, PostgreSQL or None) of each configuration."""
    return [("PostgreSQL" if pg else "SQLite", n, pg) for n in counts]


async def triage_part(users: int, pg: Pg | None = None) -> None:
    print(f"triage: {users} users at once, 9 updates each")
    base: dict[str, float] = {}
    configs = configurations(pg, (1, 2, 3))
    if pg is not None:
        configs.insert(0, ("SQLite", 1, None))
    for store, n, where in configs:
        r = await run_triage(n, users, where)
        base = base or r
        x = ratio(r["updates_s"], base["updates_s"])
        print(f"  {store:<10} {n} instance(s): {r['updates_s']:6.1f} updates/s ({x})"
              f"  p50 {r['p50'] * 1000:6.0f} ms  p99 {r['p99'] * 1000:6.0f} ms "
              f"({ratio(r['p99'], base['p99'])})  max in 1 s: {r['max_1s']:.0f}  "
              f"429: {r['429']:.0f}")


async def reminders_part(count: int, pg: Pg | None = None) -> None:
    print(f"reminders: {count} due together")
    base: dict[str, float] = {}
    for store, n, where in configurations(pg, (1, 3)):
        r = await run_reminders(n, count, where)
        base = base or r
        x = ratio(r["per_s"], base["per_s"])
        print(f"  {store:<10} {n} instance(s): {r['per_s']:6.1f} reminders/s ({x})"
              f"  sent {r['sent']:.0f}  max in 1 s: {r['max_1s']:.0f}  429: {r['429']:.0f}")


async def broadcast_part(count: int, rate: float, pg: Pg | None = None) -> None:
    limit = "30/s enforced" if rate <= 25 else "no limit (paid broadcasts)"
    print(f"broadcast: {count} subscribers at BROADCAST_RATE={rate:g}, fake: {limit}")
    base: dict[str, float] = {}
    for store, n, where in configurations(pg, (1, 3)):
        r = await run_broadcast(n, count, rate, where)
        base = base or r
        x = ratio(r["per_s"], base["per_s"])
        print(f"  {store:<10} {n} instance(s): {r['per_s']:6.1f} messages/s ({x})"
              f"  reached {r['reached']:.0f}  duplicates {r['dupes']:.0f}  max in 1 s: "
              f"{r['max_1s']:.0f}  429: {r['429']:.0f}")


if __name__ == "__main__":
    asyncio.run(main())
