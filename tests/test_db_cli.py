"""``python -m bot db migrate`` and ``db copy`` (SQLite into PostgreSQL), against a real server."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from bot.__main__ import DATABASE_UNAVAILABLE, main
from bot.alerts.handlers import alerts_of
from bot.checker.store import CheckerStore
from bot.evidence.handlers import evidence_of
from bot.evidence.model import Channel, ContactChannel, FileKind
from bot.followups.handlers import followups_of
from bot.store.copy import TABLES
from bot.store.db import migrations
from tests.conftest import FakeClock, make_settings, start_harness, stop_harness
from tests.test_triage import answer_all, consent, pick


def run_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *args: str,
            url: str | None = None) -> int:
    """Run ``python -m bot …`` in this process with a clean environment (no .env)."""
    monkeypatch.chdir(tmp_path)
    # The command line configures logging for a process; here it would outlive the test.
    monkeypatch.setattr("bot.__main__.setup_logging", lambda settings: None)
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.sqlite3"))
    if url is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", url)
    return main(list(args))


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_migrate_applies_each_migration_once(
        dialect: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue("pg_empty_url")) if dialect == "postgresql" else None
    assert run_cli(monkeypatch, tmp_path, "db", "migrate", url=url) == 0
    out = capsys.readouterr().out
    names = [path.name for _, path in migrations()]
    assert [line.removeprefix("applied ") for line in out.splitlines()[:-1]] == names
    assert f"{len(names)} migration(s) applied now, {len(names)} in all" in out
    assert run_cli(monkeypatch, tmp_path, "db", "migrate", url=url) == 0
    assert f"0 migration(s) applied now, {len(names)} in all" in capsys.readouterr().out


def test_an_unreachable_server_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = run_cli(monkeypatch, tmp_path, "db", "migrate",
                   url="postgresql://bot:secret-pw@127.0.0.1:1/bot")
    err = capsys.readouterr().err
    assert code == DATABASE_UNAVAILABLE
    assert err.startswith("error: database: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "secret-pw" not in err


def test_a_wrong_url_is_a_setting_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code = run_cli(monkeypatch, tmp_path, "db", "migrate", url="mysql://127.0.0.1/bot")
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: setting DATABASE_URL: must start with postgresql://"), err


async def populate(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """Build a SQLite store through the bot: a planned case with reminders, a subscription and
    a sent alert, evidence rows and a checker report; return its path and what to compare."""
    clock = FakeClock()
    settings = make_settings(tmp_path, admin_ids=frozenset({1}), broadcast_rate=1000)
    h = await start_harness(settings, clock)
    try:
        await consent(h)
        await pick(h, ["baitiao"])
        await answer_all(h)
        await h.send("/subscribe", 2)
        await h.send("/subscribe")
        await h.send("/alert 假客服说要注销白条", 1)
        await h.press(h.t("btn-alert-send"))
        sender = alerts_of(h.svc).sender
        assert sender is not None
        await sender.drain(10)
        user = await h.svc.store.get_user(1)
        assert user is not None and user.current_case is not None
        case_id = user.current_case
        evidence = evidence_of(h.svc).store
        file_row = await evidence.add_file(
            case_id, item="tx_screenshots", kind=FileKind.IMAGE, file_id="F1",
            file_unique_id="U1", file_name="order.png", mime="image/png", size=123,
            sha256="ab" * 32, note=None, proposal=None, now=clock())
        await evidence.save_tx(case_id, None, order_no="305512348765", at="2026-11-20 14:32",
                               amount=Decimal("1299.00"), channel=Channel.BAITIAO,
                               file=file_row.id, now=clock())
        await evidence.add_contact(case_id, at="2026-11-21", channel=ContactChannel.JD,
                                   ref="T-1", note="called", now=clock())
        await CheckerStore(h.svc.db).add_report(1, clock(), "scam", None, "", "masked text")
        case = await h.svc.store.get_case(case_id)
        reminders = await followups_of(h.svc).store.of_case(case_id)
        assert case is not None and reminders
        seen: dict[str, object] = {
            "case": case, "reminders": reminders,
            "events": await h.svc.store.events(case_id),
            "files": await evidence.files(case_id),
            "transactions": await evidence.transactions(case_id),
            "contacts": await evidence.contacts(case_id),
            "broadcasts": await alerts_of(h.svc).store.recent(10),
        }
    finally:
        await stop_harness(h)
    return settings.database_path, seen


async def test_copy_moves_a_populated_store_and_the_bot_reads_it_back(
        tmp_path: Path, pg_empty_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    pg_url = pg_empty_url
    path, seen = await populate(tmp_path)
    code = await asyncio.to_thread(
        run_cli, monkeypatch, tmp_path, "db", "copy", "--sqlite", str(path),
        "--postgresql", pg_url)
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0, out + captured.err
    counts = {line.split()[0]: int(line.split()[1]) for line in out.splitlines()
              if line.startswith("  ")}
    assert list(counts) == list(TABLES)
    for table in ("users", "cases", "case_events", "followups", "alert_subscribers",
                  "alert_broadcasts", "alert_deliveries", "evidence_files",
                  "evidence_transactions", "evidence_contacts", "checker_reports"):
        assert counts[table] > 0, table
    assert "verified: 18 tables" in out

    clock = FakeClock()
    h = await start_harness(make_settings(tmp_path / "pg", database_url=pg_url), clock)
    try:
        assert h.svc.db.dialect == "postgresql"
        case = seen["case"]
        got = await h.svc.store.get_case(case.id)  # type: ignore[attr-defined]
        assert got == case
        assert await h.svc.store.events(case.id) == seen["events"]  # type: ignore[attr-defined]
        assert await followups_of(h.svc).store.of_case(case.id) == seen["reminders"]  # type: ignore[attr-defined]
        evidence = evidence_of(h.svc).store
        assert await evidence.files(case.id) == seen["files"]  # type: ignore[attr-defined]
        assert await evidence.transactions(case.id) == seen["transactions"]  # type: ignore[attr-defined]
        assert await evidence.contacts(case.id) == seen["contacts"]  # type: ignore[attr-defined]
        assert await alerts_of(h.svc).store.recent(10) == seen["broadcasts"]
        # The identity sequences continue after the copied ids.
        highest = await h.svc.db.fetchval("SELECT MAX(id) FROM cases")
        new = await h.svc.store.create_case(1, h.svc.flow.start, clock())
        assert new.id == highest + 1
    finally:
        await stop_harness(h)

    # A second copy into the now non-empty database is refused, unless --force.
    code = await asyncio.to_thread(
        run_cli, monkeypatch, tmp_path, "db", "copy", "--sqlite", str(path),
        "--postgresql", pg_url)
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("error: db copy: the PostgreSQL database is not empty")
    assert "--force" in captured.err and captured.err.count("\n") == 1
    code = await asyncio.to_thread(
        run_cli, monkeypatch, tmp_path, "db", "copy", "--force", "--sqlite", str(path),
        url=pg_url)
    assert code == 0
    assert "emptied the PostgreSQL tables (--force)" in capsys.readouterr().out
