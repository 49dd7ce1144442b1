"""``python -m bot console``: the same application in a terminal, buttons pressed by number."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.console import plain
from bot.i18n import Translator
from tests.proc import BotProcess, console_bot

pytestmark = pytest.mark.slow

T = Translator()


def first_line(key: str, locale: str = "zh-CN", **variables: str) -> str:
    return plain(T(locale, key, **variables)).splitlines()[0].strip()


async def quit_console(bot: BotProcess) -> int:
    """Type /quit and wait for the process to end by itself."""
    assert bot.proc is not None
    await bot.write("/quit")
    await asyncio.wait_for(bot.proc.wait(), 15)
    return await bot.terminate()


def number_of(lines: list[str], label: str) -> str:
    """Return the number printed before the newest button whose label contains ``label``."""
    for line in reversed(lines):
        for number, text in re.findall(r"\[(\d+)\] ([^\[]+)", line):
            if label in text:
                return str(number)
    raise LookupError(label)


async def test_console_reaches_the_emergency_steps(tmp_path: Path) -> None:
    bot = console_bot(tmp_path / "bot.sqlite3", lang="zh-CN")
    await bot.start(ready="")
    try:
        await bot.wait_log(first_line("console-banner", path="", files="", log=""), stdout=True)
        assert any(str(tmp_path / "bot.sqlite3") in line for line in bot.stdout)
        await bot.write("/start")
        await bot.wait_log(first_line("welcome"), stdout=True)
        await bot.write(number_of(bot.stdout, T("zh-CN", "btn-consent-yes")))
        await bot.wait_log(T("zh-CN", "btn-done"), stdout=True)
        await bot.write(number_of(bot.stdout, T("zh-CN", "symptom-jintiao")))
        await bot.wait_log("✅ " + T("zh-CN", "symptom-jintiao"), stdout=True)
        await bot.write(number_of(bot.stdout, T("zh-CN", "btn-done")))
        await bot.wait_log(plain(T("zh-CN", "emergency-freeze-jintiao")), stdout=True)
        await bot.wait_log(T("zh-CN", "btn-proceed"), stdout=True)
        await bot.write(number_of(bot.stdout, T("zh-CN", "emergency-call-110-short")))
        await bot.wait_log("(" + T("zh-CN", "tick-saved") + ")", stdout=True)
        assert await quit_console(bot) == 0
    finally:
        if bot.proc is not None and bot.proc.returncode is None:
            await bot.kill9()
    assert not any("Traceback" in line for line in bot.log)


async def test_console_in_english(tmp_path: Path) -> None:
    bot = console_bot(tmp_path / "bot.sqlite3", lang="en")
    await bot.start(ready="")
    try:
        await bot.wait_log(first_line("console-banner", "en", path="", files="", log=""),
                           stdout=True)
        await bot.write("/help")
        await bot.wait_log(first_line("help-intro", "en")[:20], stdout=True)
        assert await quit_console(bot) == 0
    finally:
        if bot.proc is not None and bot.proc.returncode is None:
            await bot.kill9()
