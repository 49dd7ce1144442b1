"""Console mode: what a typed number means, button numbers that stay good, saved files, the
language, and logs kept out of the chat (issue 12, item 8).

The printer and the line-to-update rule are driven against the real Application (the test
harness); the language and the logs through ``python -m bot console`` as a process.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from bot.console import ConsolePrinter, _to_update, language_from_env, plain
from bot.i18n import Translator
from tests.conftest import Harness
from tests.proc import BotProcess, bot_env, console_bot
from tests.test_followups import HOUR, at

T = Translator()


def attach(h: Harness, files: Path | None = None) -> tuple[ConsolePrinter, io.StringIO]:
    """Print everything the bot sends, as the console does."""
    out = io.StringIO()
    printer = ConsolePrinter(out, files, lambda key, **v: h.t(key, **v))
    h.api.on_call = printer
    return printer, out


def number(printer: ConsolePrinter, out: io.StringIO, label: str) -> int:
    """The number printed before the newest button whose label contains ``label``."""
    for line in reversed(out.getvalue().splitlines()):
        for n, text in re.findall(r"\[(\d+)\] ([^\[]+)", line):
            if label in text and int(n) in printer.buttons:
                return int(n)
    raise LookupError(label)


async def type_line(h: Harness, printer: ConsolePrinter, text: str) -> object:
    """Type one console line; return the update it became (after processing it)."""
    update = await _to_update(text, h.svc, printer, h.api, h.updates, 1, "zh-CN")
    assert update is not None
    await h.app.process_update(update)
    return update


async def to_amount_step(h: Harness, printer: ConsolePrinter, out: io.StringIO) -> None:
    await type_line(h, printer, "/start")
    await type_line(h, printer, str(number(printer, out, h.t("btn-consent-yes"))))
    await type_line(h, printer, str(number(printer, out, h.t("symptom-jintiao"))))
    await type_line(h, printer, str(number(printer, out, h.t("btn-done"))))
    await type_line(h, printer, str(number(printer, out, h.t("btn-proceed"))))
    await type_line(h, printer, str(number(printer, out, h.t("q-noticed-hour"))))
    assert h.saw(1, "q-amount")


async def test_a_number_at_the_amount_step_is_text(harness: Harness) -> None:
    h = harness
    printer, out = attach(h)
    await to_amount_step(h, printer, out)
    n = min(printer.buttons)  # a button still on screen (an emergency step to tick)
    update = await _to_update(str(n), h.svc, printer, h.api, h.updates, 1, "zh-CN")
    assert update is not None and update.message is not None and update.callback_query is None
    assert update.message.text == str(n)
    # "#N" presses a button even here.
    pressed = await _to_update(f"#{n}", h.svc, printer, h.api, h.updates, 1, "zh-CN")
    assert pressed is not None and pressed.callback_query is not None
    # A number typed as the amount reaches the amount question, not a button.
    await type_line(h, printer, "300")
    case = await h.svc.store.get_case(1)
    assert case is not None and case.step != "amount"


async def test_a_number_while_a_claim_pack_entry_is_typed_is_text(harness: Harness) -> None:
    from bot.evidence.handlers import evidence_of
    from bot.evidence.model import DraftKind

    h = harness
    printer, out = attach(h)
    await type_line(h, printer, "/start")
    await type_line(h, printer, str(number(printer, out, h.t("btn-consent-yes"))))
    n = number(printer, out, h.t("symptom-jintiao"))
    update = await _to_update(str(n), h.svc, printer, h.api, h.updates, 1, "zh-CN")
    assert update is not None and update.callback_query is not None
    await evidence_of(h.svc).store.set_draft(1, 1, DraftKind.TX, None, "amount", {},
                                             h.svc.now())
    update = await _to_update(str(n), h.svc, printer, h.api, h.updates, 1, "zh-CN")
    assert update is not None and update.message is not None and update.callback_query is None


async def test_a_number_at_a_button_step_presses_it(harness: Harness) -> None:
    h = harness
    printer, out = attach(h)
    await type_line(h, printer, "/start")
    n = number(printer, out, h.t("btn-consent-yes"))
    update = await _to_update(str(n), h.svc, printer, h.api, h.updates, 1, "zh-CN")
    assert update is not None and update.callback_query is not None
    # A number no button has is text; "#" with it is a console note (None), not an update.
    assert (await _to_update("999", h.svc, printer, h.api, h.updates, 1, "zh-CN")
            ).message is not None  # type: ignore[union-attr]
    assert await _to_update("#999", h.svc, printer, h.api, h.updates, 1, "zh-CN") is None


async def test_reminder_numbers_survive_another_command(harness: Harness) -> None:
    h = harness
    h.t0 = h.clock.now  # type: ignore[attr-defined]
    printer, out = attach(h)
    await to_amount_step(h, printer, out)
    await type_line(h, printer, "1,299元")
    await type_line(h, printer, str(number(printer, out, h.t("q-cause-none"))))
    await type_line(h, printer, str(number(printer, out, h.t("q-police-reported"))))
    assert await at(h, 4 * HOUR) == 1
    done = number(printer, out, h.t("fu-btn-done"))
    await type_line(h, printer, "/cases")
    await type_line(h, printer, "/help")
    await type_line(h, printer, "/reminders")
    # The reminder's number still means the reminder's button, not one of the new screens.
    data = printer.buttons[done][2]
    assert data.startswith("fu:") and data.endswith(":done")
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", out.getvalue())]
    assert numbers.count(done) == 1, "a number is never given to a second button"
    await type_line(h, printer, f"#{done}")
    assert h.alerts()[-1] == h.t("fu-saved")


async def test_export_is_saved_under_the_data_folder(harness: Harness, tmp_path: Path) -> None:
    h = harness
    files = tmp_path / "console-files"
    printer, out = attach(h, files)
    await type_line(h, printer, "/start")
    await type_line(h, printer, str(number(printer, out, h.t("btn-consent-yes"))))
    await type_line(h, printer, "/export")
    assert len(printer.saved) == 1
    path = printer.saved[0]
    assert path.parent == files and path.suffix == ".json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data
    assert h.t("console-file-saved", path=str(path)) in out.getvalue()


def test_language_from_the_environment() -> None:
    assert language_from_env({"LANG": "en_US.UTF-8"}) == "en"
    assert language_from_env({"LANG": "zh_CN.UTF-8"}) == "zh-CN"
    assert language_from_env({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}) == "zh-CN"
    assert language_from_env({"LANG": "C.UTF-8"}) is None
    assert language_from_env({}) is None


def banner(locale: str) -> str:
    return T(locale, "console-banner", path="", files="", log="").splitlines()[0]


async def run_console(db: Path, lines: list[str], *args: str,
                      env: dict[str, str] | None = None) -> BotProcess:
    bot = BotProcess(("console", *args), bot_env(db, extra=env))
    await bot.start(ready="")
    try:
        for line in lines:
            await bot.write(line)
        await bot.write("/quit")
        assert bot.proc is not None
        await asyncio.wait_for(bot.proc.wait(), 30)
    finally:
        await bot.terminate()
    return bot


@pytest.mark.slow
async def test_lang_flag_beats_the_stored_choice_and_lang_env_is_used(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    # $LANG decides for a new user when --lang is not given.
    first = await run_console(db, ["/start"], env={"LANG": "en_US.UTF-8", "LC_ALL": ""})
    assert banner("en") in first.stdout
    assert any(plain(T("en", "welcome")).splitlines()[0][:20] in line for line in first.stdout)
    # The user stores Chinese (as /lang would)...
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO users(user_id, locale, created_at, updated_at) "
                     "VALUES (10001, 'zh-CN', 0, 0) ON CONFLICT(user_id) DO UPDATE "
                     "SET locale='zh-CN'")
    # ...without --lang the stored choice is kept, whatever $LANG says;
    kept = await run_console(db, ["/help"], env={"LANG": "en_US.UTF-8", "LC_ALL": ""})
    assert banner("zh-CN") in kept.stdout
    # --lang en replaces it.
    forced = await run_console(db, ["/help"], "--lang", "en")
    assert banner("en") in forced.stdout
    assert any(plain(T("en", "help-intro")).splitlines()[0][:20] in line for line in forced.stdout)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT locale FROM users WHERE user_id=10001").fetchone() == ("en",)


@pytest.mark.slow
async def test_logs_go_to_a_file_not_into_the_chat(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    bot = console_bot(db, lang="zh-CN")
    await bot.start(ready="")
    try:
        await bot.wait_log(banner("zh-CN"), stdout=True)
        await bot.write("/start")
        await bot.wait_log(T("zh-CN", "btn-consent-yes"), stdout=True)
        await bot.write("/quit")
        assert bot.proc is not None
        await asyncio.wait_for(bot.proc.wait(), 30)
    finally:
        assert await bot.terminate() == 0
    chat = bot.stdout + bot.log
    assert not [line for line in chat if re.search(r" (INFO|DEBUG) ", line)], chat
    log = (tmp_path / "console.log").read_text(encoding="utf-8")
    assert "INFO bot.store.db: applied migration" in log
    assert str(tmp_path / "console.log") in "\n".join(bot.stdout)
