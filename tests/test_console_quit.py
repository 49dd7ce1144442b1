"""Leaving the console right after start-up exits cleanly (a just-fired job must not crash stop)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.proc import ROOT, bot_env

pytestmark = pytest.mark.slow


def test_quit_right_after_start_exits_zero(tmp_path: Path) -> None:
    for attempt in range(4):
        done = subprocess.run(
            [sys.executable, "-m", "bot", "console"], input="/quit\n", capture_output=True,
            text=True, cwd=ROOT, env=bot_env(tmp_path / f"db{attempt}.sqlite3"), timeout=60,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "Traceback" not in done.stderr
