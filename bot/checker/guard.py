"""The group guard: where a group admin turned it on (/guard), near-certain scams get a warning.

``/guard warn`` replies to such a message; ``/guard delete`` deletes it and warns (the bot needs
the right to delete messages, and says so when it lacks it); ``/guard off``. Rights are checked
with Telegram (getChatMember) each time. Only near-certain matches count, so the bot does not
interrupt conversations, and a group gets at most one warning per WARN_INTERVAL_S.
"""

from __future__ import annotations

import logging
import time

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.checker.engine import Result, Verdict
from bot.handlers.common import send, who
from bot.handlers.views import Screen

log = logging.getLogger(__name__)

WARN_INTERVAL_S = 60.0
NEAR_CERTAIN_SCORE = 6.0  # summed red-flag weight; the private checker says "scam" from 4
MODES = ("warn", "delete")
_last_warning: dict[int, float] = {}


def near_certain(result: Result) -> bool:
    """Tell whether a group message is a scam beyond reasonable doubt."""
    return result.verdict is Verdict.SCAM and (
        result.score >= NEAR_CERTAIN_SCORE or result.similar >= 0.95
    )


async def guard_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/guard warn|delete|off in a group, by one of its admins."""
    from bot.alerts.handlers import is_chat_admin
    from bot.checker.handlers import feature

    me = await who(update, context)
    chat = update.effective_chat
    if me is None or chat is None:
        return
    if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        await send(update, context, Screen(me.t("guard-groups-only")))
        return
    if not await is_chat_admin(context.bot, chat.id, me.user.id):
        await send(update, context, Screen(me.t("guard-admins-only")))
        return
    store = feature(me.svc).store
    args = [a.lower() for a in (context.args or [])]
    if not args:
        mode = await store.guard_mode(chat.id)
        await send(update, context, Screen(me.t("guard-status", mode=mode or "off")))
        return
    choice = {"on": "warn", "warn": "warn", "delete": "delete", "off": None}.get(args[0], "?")
    if choice == "?":
        await send(update, context, Screen(me.t("guard-usage")))
        return
    await store.set_guard(chat.id, choice, me.user.id, me.svc.now())
    if choice == "delete" and not await can_delete(update, context):
        await send(update, context, Screen(me.t("guard-needs-delete-right")))
        return
    await send(update, context, Screen(me.t("guard-status", mode=choice or "off")))


async def can_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Ask Telegram whether the bot may delete messages in this chat."""
    chat = update.effective_chat
    if chat is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, context.bot.id)
    except TelegramError:
        return False
    if member.status == ChatMemberStatus.OWNER:
        return True
    return bool(getattr(member, "can_delete_messages", False))


async def group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Check a group message where the guard is on; warn (and delete) near-certain scams."""
    from bot.checker.handlers import feature

    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    text = message.text or message.caption or ""
    if not text.strip():
        return
    me = await who(update, context)
    if me is None:
        return
    feat = feature(me.svc)
    mode = await feat.store.guard_mode(chat.id)
    if mode is None:
        return
    result = await feat.checker.check_in_thread(text, unprompted=True)
    if not near_certain(result):
        return
    now = time.monotonic()
    if now - _last_warning.get(chat.id, -WARN_INTERVAL_S) < WARN_INTERVAL_S:
        return  # rate limited: one warning per group per interval
    _last_warning[chat.id] = now
    kind = feat.checker.rules.kind(result.kind) if result.kind else None
    locale = me.svc.settings.default_locale
    words = me.svc.t(locale, "guard-warning",
                     kind=me.svc.t(locale, kind.name) if kind else "-")
    if mode == "delete":
        try:
            await message.delete()
            words = me.svc.t(locale, "guard-deleted",
                             kind=me.svc.t(locale, kind.name) if kind else "-")
        except TelegramError:
            log.info("guard could not delete a message in chat %d", chat.id)
    try:
        await context.bot.send_message(
            chat.id, words, parse_mode="HTML",
            reply_to_message_id=None if mode == "delete" else message.message_id,
        )
    except TelegramError:
        log.info("guard could not warn in chat %d", chat.id)
