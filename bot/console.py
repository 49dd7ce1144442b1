"""Console mode: the same Application and handlers in a terminal, no token, no network."""

from __future__ import annotations

import asyncio
import html
import re
import sys
from typing import Any, TextIO

from bot.app import build_application, build_services, start_app, stop_app
from bot.settings import Settings
from bot.transport.local import LOCAL_TOKEN, ApiCall, LocalBotApi, UpdateFactory

CONSOLE_USER_ID = 10001
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Turn the bot's HTML into terminal text."""
    return html.unescape(_TAG.sub("", text))


class ConsolePrinter:
    """Print what the bot sends and number its buttons so the user can press them."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.next_number = 1
        self.buttons: dict[int, tuple[int, int, str]] = {}  # number -> chat, message, data
        self._by_message: dict[tuple[int, int], list[int]] = {}
        self._fresh = False

    def new_batch(self) -> None:
        """Restart button numbers at 1 with the next keyboard (numbers stay short)."""
        self._fresh = True

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
        reuse = self._by_message.pop(key, [])
        for number in reuse:
            self.buttons.pop(number, None)
        lines: list[str] = []
        if call.method == "sendDocument":
            lines.append(f"[document] {plain(str(call.params.get('caption', '')))}")
        elif call.method == "editMessageText" or "text" in call.params:
            marker = "~" if call.method == "editMessageText" else "»"
            body = plain(str(call.params.get("text", "")))
            lines.append(f"{marker} " + body.replace("\n", "\n  "))
        markup = result.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", [])
        if sum(len(row) for row in rows) != len(reuse):
            reuse = []
        if rows and not reuse and self._fresh:
            self._fresh = False
            self.buttons.clear()
            self._by_message.clear()
            self.next_number = 1
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
        self._by_message[key] = numbers
        if lines:
            self.out.write("\n".join(lines) + "\n\n")
            self.out.flush()


async def run_console(
    settings: Settings,
    *,
    language_code: str,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    user_id: int = CONSOLE_USER_ID,
) -> None:
    """Run the bot for one local user until end of input or /quit."""
    svc = await build_services(settings)
    printer = ConsolePrinter(stdout)
    api = LocalBotApi(on_call=printer, record=False)
    app = build_application(svc, token=LOCAL_TOKEN, request=api, get_updates_request=api)
    updates = UpdateFactory(app.bot, api)
    try:
        await _loop(app, svc, printer, api, updates, settings, language_code, stdin, stdout,
                    user_id)
    finally:
        await svc.db.close()


async def _loop(app: Any, svc: Any, printer: ConsolePrinter, api: LocalBotApi,
                updates: UpdateFactory, settings: Settings, language_code: str, stdin: TextIO,
                stdout: TextIO, user_id: int) -> None:
    locale = "zh-CN" if language_code.lower().startswith("zh") else "en"
    async with app:
        await start_app(app)
        stdout.write(svc.t(locale, "console-banner", path=str(settings.database_path)) + "\n\n")
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
                update = _to_update(text, printer, api, updates, user_id, language_code)
                printer.new_batch()
                await app.process_update(update)
        finally:
            await stop_app(app)


def _to_update(text: str, printer: ConsolePrinter, api: LocalBotApi, updates: UpdateFactory,
               user_id: int, language_code: str) -> Any:
    """Turn a typed line into a button press (a shown number) or a text message."""
    if text.isdigit() and int(text) in printer.buttons:
        chat_id, message_id, data = printer.buttons[int(text)]
        message = api.messages.get(chat_id, {}).get(message_id)
        if message is not None:
            return updates.press(user_id, message, data, language_code=language_code)
    return updates.text(user_id, text, language_code=language_code)
