"""Secrets in edited messages and in photo or document captions: never kept, removed if possible.

New text messages are checked by the triage handler. This guard runs in an earlier handler
group, so it sees an update before any other handler; when it finds a secret it tries to delete
the message, sends the usual warning and stops the update there (nothing else reads it). Edits
are never answers, so an edit's text is never stored whatever it holds.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, MessageHandler, filters

from bot.handlers.common import send, who
from bot.handlers.views import Screen
from bot.safety import find_secrets

log = logging.getLogger(__name__)

# Runs before the default group (0), where every other handler lives.
GROUP = -1

WATCHED = filters.ChatType.PRIVATE & (
    (filters.UpdateType.EDITED_MESSAGE & (filters.TEXT | filters.CAPTION))
    | (filters.UpdateType.MESSAGE & filters.CAPTION)
)


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Warn about and try to delete an edit or a caption that holds a secret."""
    message = update.effective_message
    if message is None:
        return
    typed = message.caption if message.caption is not None else message.text
    if not typed:
        return
    # An edited bare number is most likely a corrected amount; a caption is never an amount.
    # A number next to a code word, passwords, cards and ID numbers are caught in both.
    edited = update.edited_message is not None
    if not find_secrets(typed, expecting_number=edited and message.caption is None):
        return
    me = await who(update, context)
    try:
        await message.delete()
    except TelegramError:
        log.debug("could not delete an edited or captioned message with a secret")
    try:
        if me is not None:
            await send(update, context, Screen(me.t("secret-warning")))
    except Exception as exc:
        # Whatever happened to the warning, no later handler may read this message.
        log.warning("could not send the secret warning (%s)", type(exc).__name__)
    raise ApplicationHandlerStop


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the guard in its own, earlier handler group."""
    app.add_handler(MessageHandler(WATCHED, guard), group=GROUP)
