"""Console mode: the same Application and handlers in a terminal, no token, no network.

Buttons get numbers that stay valid until their message changes (a reminder's buttons still
work after another command). ``#N`` always presses button N; a bare ``N`` presses it too, except
while the bot waits for a typed answer (the amount), where it is sent as text. Files the bot
sends are saved under the data folder and their path is printed. Logs go to a file there, not
into the chat.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

from bot.app import build_application, build_services, start_app, stop_app
from bot.engine.schema import AmountStep
from bot.evidence.handlers import DRAFT_TTL_S, evidence_of
from bot.evidence.handlers import EXTRAS_KEY as EVIDENCE_KEY
from bot.handlers.views import plain
from bot.i18n import locale_for
from bot.services import Services
from bot.settings import Settings
from bot.transport.local import LOCAL_TOKEN, ApiCall, LocalBotApi, UpdateFactory

CONSOLE_USER_ID = 10001
PRESS = re.compile(r"^#\s*(\d+)$")
FILES_DIR = "console-files"
LOG_FILE = "console.log"
# What a sent file is, from its first bytes (the local Bot API keeps the bytes, not the name).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"), (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpg"), (b"PK\x03\x04", "zip"),
    (b"{", "json"), (b"[", "json"),
)


def language_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """Return the locale the environment asks for (LC_ALL, LC_MESSAGES, LANG), if any."""
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:
            if value.split(".")[0] in ("C", "POSIX"):
                return None
            return locale_for(value.replace("_", "-"))
    return None


def data_dir(settings: Settings) -> Path:
    """Return the data folder: the database's folder."""
    return Path(settings.database_path).resolve().parent


def log_path(settings: Settings) -> Path:
    """Return the file console mode logs to."""
    return data_dir(settings) / LOG_FILE


def _extension(data: bytes) -> str:
    head = data.lstrip()[:8]
    return next((ext for magic, ext in _SIGNATURES if head.startswith(magic)), "bin")


class ConsolePrinter:
    """Print what the bot sends, number its buttons, and save the files it sends."""

    def __init__(self, out: TextIO, files_dir: Path | None = None,
                 say: Callable[..., str] | None = None) -> None:
        self.out = out
        self.files_dir = files_dir
        self.say = say or (lambda key, **_: key)
        self.next_number = 1
        self.buttons: dict[int, tuple[int, int, str]] = {}  # number -> chat, message, data
        self._by_message: dict[tuple[int, int], list[int]] = {}
        self.saved: list[Path] = []

    def __call__(self, call: ApiCall) -> None:
        """Show one Bot API call if it is something a user would see."""
        if call.method not in ("sendMessage", "editMessageText", "editMessageReplyMarkup",
                               "sendDocument", "answerCallbackQuery"):
            return
        if call.method == "answerCallbackQuery":
            if call.params.get("text"):
                self.out.write(f"  ({plain(str(call.params['text']))})\n")
                self.out.flush()
            return
        result = call.result if isinstance(call.result, dict) else {}
        chat_id = int(call.params["chat_id"])
        message_id = int(result.get("message_id") or call.params.get("message_id") or 0)
        key = (chat_id, message_id)
        # An edited message keeps its numbers when it keeps as many buttons; other messages'
        # numbers never change, so a number stays good until its own message changes.
        reuse = self._by_message.pop(key, [])
        for number in reuse:
            self.buttons.pop(number, None)
        lines: list[str] = []
        if call.method == "sendDocument":
            lines.append(f"[document] {plain(str(call.params.get('caption', '')))}")
            lines.extend(self._save(call))
        elif call.method == "editMessageText" or "text" in call.params:
            marker = "~" if call.method == "editMessageText" else "»"
            body = plain(str(call.params.get("text", "")))
            lines.append(f"{marker} " + body.replace("\n", "\n  "))
        markup = result.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", [])
        if sum(len(row) for row in rows) != len(reuse):
            reuse = []
        numbers: list[int] = []
        for row in rows:
            cells = []
            for button in row:
                if reuse:
                    number = reuse.pop(0)
                else:
                    number = self.next_number
                    self.next_number += 1
                self.buttons[number] = (chat_id, message_id, str(button.get("callback_data")))
                numbers.append(number)
                cells.append(f"[{number}] {button['text']}")
            lines.append("    " + "   ".join(cells))
        if numbers:
            self._by_message[key] = numbers
        if lines:
            self.out.write("\n".join(lines) + "\n\n")
            self.out.flush()

    def _save(self, call: ApiCall) -> list[str]:
        """Write the bytes of a sent file under the data folder; return the lines to print."""
        uploads = call.params.get("_uploads") or {}
        if self.files_dir is None or not uploads:
            return []
        self.files_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        lines = []
        for data in uploads.values():
            path = self.files_dir / f"{stamp}-{len(self.saved) + 1}.{_extension(data)}"
            path.write_bytes(data)
            self.saved.append(path)
            lines.append("  " + self.say("console-file-saved", path=str(path)))
        return lines

    def note(self, text: str) -> None:
        """Print a line of the console itself (not from the bot)."""
        self.out.write(f"  ({text})\n\n")
        self.out.flush()


async def run_console(
    settings: Settings,
    *,
    language_code: str,
    explicit: bool = False,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    user_id: int = CONSOLE_USER_ID,
) -> None:
    """Run the bot for one local user until end of input or /quit.

    ``explicit``: the language was asked for on the command line, so it replaces the one the
    user stored with /lang (otherwise the stored one stays).
    """
    svc = await build_services(settings)
    locale = locale_for(language_code, settings.default_locale)
    if explicit:
        user = await svc.store.get_user(user_id)
        if user is not None and user.locale != locale:
            await svc.store.set_locale(user_id, locale, svc.now())
    else:
        user = await svc.store.get_user(user_id)
        if user is not None:
            locale = user.locale

    def say(key: str, **variables: Any) -> str:
        return svc.t(locale, key, **variables)

    printer = ConsolePrinter(stdout, data_dir(settings) / FILES_DIR, say)
    api = LocalBotApi(on_call=printer, record=False)
    app = build_application(svc, token=LOCAL_TOKEN, request=api, get_updates_request=api)
    updates = UpdateFactory(app.bot, api)
    try:
        await _loop(app, svc, printer, api, updates, settings, locale, stdin, stdout, user_id)
    finally:
        await svc.db.close()


async def _loop(app: Any, svc: Services, printer: ConsolePrinter, api: LocalBotApi,
                updates: UpdateFactory, settings: Settings, locale: str, stdin: TextIO,
                stdout: TextIO, user_id: int) -> None:
    async with app:
        await start_app(app)
        stdout.write(svc.t(locale, "console-banner", path=settings.database_label(),
                           files=str(data_dir(settings) / FILES_DIR),
                           log=str(log_path(settings))) + "\n\n")
        stdout.flush()
        try:
            while True:
                line = await asyncio.to_thread(stdin.readline)
                if not line:
                    break
                text = line.strip()
                if not text:
                    continue
                if text in ("/quit", "/exit"):
                    break
                update = await _to_update(text, svc, printer, api, updates, user_id, locale)
                if update is None:
                    printer.note(svc.t(locale, "console-no-button", n=text.lstrip("# ")))
                    continue
                await app.process_update(update)
        finally:
            await stop_app(app)


async def expects_text(svc: Services, user_id: int) -> bool:
    """Tell whether the bot is waiting for a typed answer from this user: the amount, or a
    claim-pack entry being typed (a transaction's amount, a contact's details)."""
    user = await svc.store.get_user(user_id)
    if user is None or not user.consented:
        return False
    if EVIDENCE_KEY in svc.extras and await evidence_of(svc).store.awaiting_text(
            user_id, svc.now() - DRAFT_TTL_S):
        return True
    case = await svc.store.current_case(user)
    if case is None or case.paused or case.step is None:
        return False
    return isinstance(svc.flow.step(case.step), AmountStep)


async def _to_update(text: str, svc: Services, printer: ConsolePrinter, api: LocalBotApi,
                     updates: UpdateFactory, user_id: int, language_code: str) -> Any:
    """Turn a typed line into a button press or a text message (None: no such button).

    ``#N`` presses button N. A bare ``N`` presses it unless the bot waits for typed text.
    """
    pressed = PRESS.match(text)
    if pressed:
        number: int | None = int(pressed.group(1))
    elif text.isdigit() and int(text) in printer.buttons and not await expects_text(
            svc, user_id):
        number = int(text)
    else:
        number = None
    if number is not None:
        if number not in printer.buttons:
            return None
        chat_id, message_id, data = printer.buttons[number]
        message = api.messages.get(chat_id, {}).get(message_id)
        if message is None:
            return None
        return updates.press(user_id, message, data, language_code=language_code)
    return updates.text(user_id, text, language_code=language_code)
