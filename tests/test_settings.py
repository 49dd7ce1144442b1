"""A bad setting stops start-up with exit code 2 and one line naming it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from tests.proc import ROOT, bot_env

pytestmark = pytest.mark.slow

BAD = [
    ("TIMEZONE", "Mars/Phobos"),
    ("QUIET_HOURS", "25-3"),
    ("QUIET_HOURS", "22"),
    ("ADMIN_IDS", "abc"),
    ("DEFAULT_LOCALE", "fr"),
    ("BOT_API_BASE_URL", "ftp://x"),
    ("BOT_API_FILE_URL", "file:///etc"),
    ("RETENTION_DAYS", "0"),
    ("BROADCAST_RATE", "-1"),
    ("LOG_LEVEL", "loud"),
]


async def _run(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=str(ROOT), env=env,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return int(proc.returncode or 0), out.decode(), err.decode()


async def test_bad_values_stop_start_up_with_one_line(tmp_path: Path) -> None:
    runs = []
    for name, value in BAD:
        env = bot_env(tmp_path / "bot.sqlite3", extra={name: value})
        runs.append(_run(env))
    results = await asyncio.gather(*runs)
    for (name, value), (code, out, err) in zip(BAD, results, strict=True):
        lines = err.splitlines()
        assert code == 2, (name, value, err)
        assert len(lines) == 1, (name, value, err)
        assert lines[0].startswith(f"error: setting {name}: "), lines[0]
        assert out == ""
    assert not (tmp_path / "bot.sqlite3").exists(), "nothing starts with a bad setting"


async def test_run_without_token_is_one_line(tmp_path: Path) -> None:
    code, _, err = await _run(bot_env(tmp_path / "bot.sqlite3"), "run")
    assert code == 2
    assert err.splitlines() == [err.strip()] and "BOT_TOKEN" in err


def test_load_settings_names_the_setting() -> None:
    with pytest.raises(SettingsError, match=r"^setting TIMEZONE: "):
        load_settings(_env_file=None, timezone="Mars/Phobos")
    ok = load_settings(_env_file=None, quiet_hours="", admin_ids="1, 2;3",
                       bot_api_base_url="http://127.0.0.1:8081")
    assert ok.quiet_hours is None and ok.admin_ids == frozenset({1, 2, 3})
    assert ok.api_base_url == "http://127.0.0.1:8081/bot"
