"""Help, language, privacy (export, delete, retention), fallbacks and the error handler."""

from __future__ import annotations

import json
import logging
from io import BytesIO

from telegram import CallbackQuery, Update
from telegram.error import Forbidden
from telegram.ext import ContextTypes

from bot.callbacks import Callback
from bot.handlers.common import Who, edit, is_private, parsed_button, private_only, send, who
from bot.handlers.views import ConfirmDelete, Screen, SetLang, kb
from bot.logs import describe
from bot.services import services

log = logging.getLogger(__name__)

# Commands shown in Telegram's menu, in order: (command, message key of its description).
# Features append theirs; the composition root registers them in every language.
MENU: list[tuple[str, str]] = [
    ("start", "cmd-start"),
    ("case", "cmd-case"),
    ("cases", "cmd-cases"),
    ("evidence", "cmd-evidence"),
    ("report", "cmd-report"),
    ("check", "cmd-check"),
    ("new", "cmd-new"),
    ("cancel", "cmd-cancel"),
    ("lang", "cmd-lang"),
    ("privacy", "cmd-privacy"),
    ("export", "cmd-export"),
    ("delete", "cmd-delete"),
    ("help", "cmd-help"),
    ("reminders", "cmd-reminders"),
    ("subscribe", "cmd-subscribe"),
    ("unsubscribe", "cmd-unsubscribe"),
    ("alerts", "cmd-alerts"),
]


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain what the bot does and list the commands."""
    me = await who(update, context)
    if me is None:
        return
    lines = [f"/{cmd} — {me.t(key)}" for cmd, key in MENU]
    await send(update, context, Screen(me.t("help-intro") + "\n\n" + "\n".join(lines)))


async def lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the two languages."""
    me = await who(update, context)
    if me is None:
        return
    await send(update, context, Screen(
        me.t("lang-choose"),
        kb([[(me.t("lang-name-zh"), SetLang(locale="zh-CN")),
             (me.t("lang-name-en"), SetLang(locale="en"))]]),
    ))


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show what is stored, for how long, and how to export or delete it."""
    me = await who(update, context)
    if me is None:
        return
    days = me.svc.settings.retention_days
    await send(update, context, Screen(me.t("privacy-full", days=days)))


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the user everything stored about them as a JSON file."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    if me.row is None:
        await send(update, context, Screen(me.t("export-nothing")))
        return
    data = await me.svc.store.export_user(me.user.id)
    for part in me.svc.hooks.export:
        data.update(await part(me.user.id))
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode()
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        document=BytesIO(payload),
        filename=f"jd-recovery-{me.user.id}.json",
        caption=me.t("export-caption"),
    )


async def delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for confirmation before deleting everything stored about the user."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    if me.row is None:
        await send(update, context, Screen(me.t("export-nothing")))
        return
    await send(update, context, Screen(
        me.t("delete-confirm"),
        kb([[(me.t("btn-delete-yes"), ConfirmDelete(yes=True)),
             (me.t("btn-delete-no"), ConfirmDelete(yes=False))]]),
    ))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    query: CallbackQuery, data: Callback) -> None:
    """Handle the language and delete-confirmation buttons."""
    if isinstance(data, SetLang):
        await me.svc.store.set_locale(me.user.id, data.locale, me.svc.now())
        await query.answer()
        await edit(query, Screen(me.svc.t(data.locale, "lang-set")))
    elif isinstance(data, ConfirmDelete):
        await query.answer()
        if not data.yes:
            await edit(query, Screen(me.t("delete-aborted")))
            return
        count = await me.svc.store.delete_user(me.user.id)
        await edit(query, Screen(me.t("delete-done", cases=count)))


async def other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer anything in private the bot cannot read (photos, stickers, unknown commands)."""
    me = await who(update, context)
    if me is None or not is_private(update):
        return
    await send(update, context, Screen(me.t("fallback-other")))


async def purge_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Apply retention: cases closed (or idle for twice as long) past the retention period,
    users left with nothing, and every feature's old rows; in small batches."""
    svc = services(context)
    day = 86400.0
    now = svc.now()
    keep = svc.settings.retention_days * day
    result = await svc.store.retention(now - keep, now - 2 * keep)
    if result.cases or result.users or result.other:
        log.info("retention: deleted %d cases and %d users; %d other rows purged or anonymised",
                 result.cases, result.users, result.other)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error (never the token) and tell the user their progress is safe."""
    error = context.error
    log.error("error while handling an update: %s", describe(error),
              exc_info=error if not isinstance(error, Forbidden) else None)
    if isinstance(update, Update) and update.effective_chat:
        try:
            me = await who(update, context)
            if me is None:
                return
            if update.callback_query:
                await update.callback_query.answer(me.t("error-generic"), show_alert=True)
            else:
                await context.bot.send_message(update.effective_chat.id, me.t("error-generic"))
        except Exception:
            log.warning("could not tell the user about an error")


button = parsed_button(on_button)
