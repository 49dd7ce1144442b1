"""Alert commands and buttons: subscribe, group switch, /alert with preview, progress, lists."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html import escape
from typing import Any, cast

from telegram import Bot, CallbackQuery, Chat, ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.alerts import transport
from bot.alerts.buttons import (
    ALERT_BUTTONS,
    DiscardAlert,
    SendAlert,
    StopAlert,
    SubscribeAlerts,
)
from bot.alerts.sender import Sender, SenderConfig
from bot.alerts.store import AlertStore, BroadcastRow, BroadcastState
from bot.alerts.texts import (
    BROADCAST_STATE_KEYS,
    MAX_ALERT_CHARS,
    alert_text,
    longest_alert,
    status_screen,
)
from bot.alerts.transport import BotPost, Post
from bot.callbacks import Callback
from bot.handlers.common import Who, edit, is_private, parsed_button, private_only, send, who
from bot.handlers.views import Screen, kb
from bot.services import Services, services, services_of

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]

ALERTS_KEY = "alerts"
#: Put a ``Post`` here (tests, benchmarks) to make the sender use it.
SENDER_POST_KEY = "alerts_sender_post"
ADMIN_STATUSES = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})
HOUR_S = 3600.0
LATEST_SHOWN = 3
LATEST_BODY_CHARS = 600
BROADCASTS_SHOWN = 10
SENDER_READ_TIMEOUT_S = 10.0


@dataclass
class Alerts:
    """The feature's objects, kept in ``Services.extras``."""

    store: AlertStore
    sender: Sender | None = None
    post: Post | None = None
    options: dict[str, Any] = field(default_factory=dict)


def alerts_of(svc: Services) -> Alerts:
    """Return the alert feature stored on the services."""
    value = svc.extras[ALERTS_KEY]
    assert isinstance(value, Alerts)
    return value


def register(app: App) -> None:
    """Add the alert handlers (before the catch-alls) and the sender's hooks."""
    svc = services_of(app)
    svc.extras[ALERTS_KEY] = Alerts(AlertStore(svc.db))
    commands: list[tuple[str, Any]] = [
        ("subscribe", subscribe),
        ("unsubscribe", unsubscribe),
        ("alerts", latest),
        ("alerts_on", alerts_on),
        ("alerts_off", alerts_off),
        ("alert", alert),
        ("broadcasts", broadcasts),
    ]
    for name, callback in commands:
        app.add_handler(CommandHandler(name, callback))
    app.add_handler(CallbackQueryHandler(button, pattern=ALERT_BUTTONS))
    app.add_handler(ChatMemberHandler(my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
    svc.hooks.export.append(alerts_of(svc).store.export_user)
    alerts_of(svc).store.attach(svc.store.privacy)  # /delete and retention
    svc.hooks.on_start.append(start_sender)
    svc.hooks.on_stop.append(stop_sender)


# ---- the sender's life -----------------------------------------------------------------------


async def sender_post(app: App, svc: Services) -> Post:
    """Return how the sender posts messages.

    Over HTTP the sender gets its own small connection pool that bypasses the application's
    AIORateLimiter: the sender keeps Telegram's limits itself, and the application's limiter
    would cap it at 30/s and make triage replies queue behind the broadcast.
    """
    override = svc.extras.get(SENDER_POST_KEY)
    if override is not None:
        return cast(Post, override)
    if not isinstance(app.bot.request, HTTPXRequest):
        return BotPost(app.bot)  # in-process transports (console, offline tests)
    size = svc.settings.broadcast_connections
    if transport.available():
        return transport.AiohttpPost(svc.settings.api_base_url, app.bot.token,
                                     connections=size, read_timeout=SENDER_READ_TIMEOUT_S)
    bot = Bot(
        app.bot.token,
        base_url=svc.settings.api_base_url,
        base_file_url=svc.settings.api_file_url,
        request=HTTPXRequest(connection_pool_size=size, read_timeout=SENDER_READ_TIMEOUT_S,
                             pool_timeout=SENDER_READ_TIMEOUT_S),
    )
    await bot.initialize()
    return OwnBotPost(bot)


class OwnBotPost(BotPost):
    """A PTB Bot of the sender's own, shut down with it."""

    async def close(self) -> None:
        """Close the Bot's connections."""
        await self.bot.shutdown()


async def start_sender(app: App) -> None:
    """Resume unfinished broadcasts and start the sender task."""
    svc = services_of(app)
    feature = alerts_of(svc)
    post = await sender_post(app, svc)
    feature.post = post
    config = SenderConfig(rate=svc.settings.broadcast_rate,
                          concurrency=svc.settings.broadcast_connections)
    for name, value in feature.options.items():
        setattr(config, name, value)
    feature.sender = Sender(
        svc, feature.store, post, config,
        render_text=lambda row, locale, is_group: alert_text(svc, row.body, locale, is_group),
        render_progress=lambda row, counts, eta: status_screen(svc, row, counts, eta),
    )
    await feature.sender.start()


async def stop_sender(app: App) -> None:
    """Stop the sender, recording what was sent, and close its connections."""
    feature = alerts_of(services_of(app))
    if feature.sender is not None:
        await feature.sender.stop()
        feature.sender = None
    if feature.post is not None:
        await feature.post.close()
        feature.post = None


# ---- subscribers -----------------------------------------------------------------------------


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe the user, saying exactly what is stored."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me, "alerts"):
        return
    await send(update, context, Screen(await _subscribe(me)))


async def _subscribe(me: Who) -> str:
    added = await alerts_of(me.svc).store.subscribe(me.user.id, me.locale, me.svc.now())
    return me.t("alerts-subscribed" if added else "alerts-already-subscribed")


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remove the user's subscription."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me, "alerts"):
        return
    removed = await alerts_of(me.svc).store.unsubscribe(me.user.id)
    await send(update, context, Screen(me.t(
        "alerts-unsubscribed" if removed else "alerts-not-subscribed")))


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the latest alerts; in a group, ``/alerts on|off`` switches the group."""
    if context.args and not is_private(update):
        choice = context.args[0].lower()
        if choice in ("on", "off"):
            await _switch_group(update, context, choice == "on")
            return
    me = await who(update, context)
    if me is None:
        return
    rows = await alerts_of(me.svc).store.recent(
        LATEST_SHOWN, states=(BroadcastState.RUNNING, BroadcastState.DONE))
    if not rows:
        await send(update, context, Screen(me.t("alerts-latest-none")))
        return
    items = []
    for row in rows:
        body = row.body.strip()
        if len(body) > LATEST_BODY_CHARS:
            body = body[:LATEST_BODY_CHARS] + "…"
        when = me.svc.fmt_time(row.started_at or row.created_at)
        items.append(me.t("alerts-latest-date", date=when) + "\n" + escape(body))
    await send(update, context, Screen(me.t("alerts-latest-title") + "\n\n" +
                                       "\n\n".join(items)))


# ---- groups ----------------------------------------------------------------------------------


async def is_chat_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    """Ask Telegram, now, whether a user administers or owns a chat."""
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.info("getChatMember failed for chat %d: %s", chat_id, exc)
        return False
    return member.status in ADMIN_STATUSES


def _is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def alerts_on(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn alerts on for this group (group admins only)."""
    await _switch_group(update, context, True)


async def alerts_off(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Turn alerts off for this group (group admins only)."""
    await _switch_group(update, context, False)


async def _switch_group(update: Update, context: ContextTypes.DEFAULT_TYPE, on: bool) -> None:
    chat = update.effective_chat
    user = update.effective_user
    if chat is None or user is None:
        return
    svc = services(context)
    locale = svc.settings.default_locale
    if not _is_group(chat):
        me = await who(update, context)
        if me is not None:
            await send(update, context, Screen(me.t("group-only")))
        return
    if not await is_chat_admin(context.bot, chat.id, user.id):
        await send(update, context, Screen(svc.t(locale, "group-admin-only")))
        return
    await alerts_of(svc).store.set_group_alerts(chat.id, on, svc.now())
    await send(update, context, Screen(svc.t(locale, "group-alerts-on" if on
                                             else "group-alerts-off")))


async def my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Register a group when the bot is added; mark it gone when the bot leaves."""
    change = update.my_chat_member
    if change is None or not _is_group(change.chat):
        return
    svc = services(context)
    store = alerts_of(svc).store
    status = change.new_chat_member.status
    old = change.old_chat_member.status
    if status in (ChatMember.LEFT, ChatMember.BANNED):
        await store.group_gone(change.chat.id, svc.now())
        log.info("left group %d", change.chat.id)
        return
    await store.register_group(change.chat.id, svc.now())
    log.info("in group %d (%s)", change.chat.id, status)
    if old in (ChatMember.LEFT, ChatMember.BANNED):
        try:
            await context.bot.send_message(change.chat.id,
                                           svc.t(svc.settings.default_locale, "group-welcome"))
        except TelegramError as exc:
            log.info("could not greet group %d: %s", change.chat.id, exc)


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Follow a group that became a supergroup."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    svc = services(context)
    await alerts_of(svc).store.migrate_group(message.chat.id, message.migrate_to_chat_id,
                                             svc.now())


# ---- /alert ----------------------------------------------------------------------------------


# Why an alert is refused: reason -> message key.
REFUSAL_KEYS: dict[str, str] = {
    "not_admin": "alert-refused",
    "group_gone": "alert-refused-group",
}


async def may_alert(context: ContextTypes.DEFAULT_TYPE, svc: Services, chat_id: int,
                    chat_is_private: bool, user_id: int) -> str | None:
    """Return None if the user may alert from this chat now, else the refusal's key."""
    if chat_is_private:
        return None if user_id in svc.settings.admin_ids else REFUSAL_KEYS["not_admin"]
    group = await alerts_of(svc).store.group(chat_id)
    if group is not None and group.gone:
        return REFUSAL_KEYS["group_gone"]
    if not await is_chat_admin(context.bot, chat_id, user_id):
        return REFUSAL_KEYS["not_admin"]
    if group is None:
        # The bot is evidently in the group (it got the command) but missed the join.
        await alerts_of(svc).store.register_group(chat_id, svc.now())
    return None


async def alert(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Check the sender's rights, then preview the alert with Send and Cancel."""
    me = await who(update, context)
    message = update.effective_message
    chat = update.effective_chat
    if me is None or message is None or chat is None:
        return
    if not (is_private(update) or _is_group(chat)):
        return
    refusal = await may_alert(context, me.svc, chat.id, is_private(update), me.user.id)
    if refusal is not None:
        await send(update, context, Screen(me.t(refusal)))
        return
    body = _alert_body(message.text or "", message.reply_to_message)
    if not body:
        await send(update, context, Screen(me.t("alert-usage")))
        return
    await draft_alert(update, context, me, body)


async def draft_alert(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                      body: str) -> None:
    """Preview an alert (rights already checked) with Send and Cancel, within the limits."""
    chat = update.effective_chat
    if chat is None:
        return
    svc = me.svc
    store = alerts_of(svc).store
    limit = svc.settings.alert_max_per_hour
    if await store.started_since(me.user.id, svc.now() - HOUR_S) >= limit:
        await send(update, context, Screen(me.t("alert-rate-limited", max=limit)))
        return
    length = longest_alert(svc, body)
    if length > MAX_ALERT_CHARS:
        await send(update, context, Screen(me.t("alert-too-long", length=length,
                                                max=MAX_ALERT_CHARS)))
        return
    draft = await store.create_draft(me.user.id, chat.id, me.locale, body, svc.now())
    users = await store.subscriber_count()
    groups = await store.group_count()
    await send(update, context, Screen(alert_text(svc, body, me.locale, not is_private(update))))
    await send(update, context, Screen(
        me.t("alert-confirm", users=users, groups=groups),
        kb([[(me.t("btn-alert-send"), SendAlert(id=draft.id)),
             (me.t("btn-alert-cancel"), DiscardAlert(id=draft.id))]]),
    ))


def _alert_body(text: str, reply: Any) -> str:
    """Take the text after the command, or else the text of the message replied to."""
    parts = text.split(maxsplit=1)
    if len(parts) > 1 and parts[1].strip():
        return parts[1].strip()
    if reply is not None:
        return str(reply.text or reply.caption or "").strip()
    return ""


# ---- buttons ---------------------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    query: CallbackQuery, data: Callback) -> None:
    """Handle Subscribe, and Send, Cancel and Stop on an alert (its author only)."""
    if isinstance(data, SubscribeAlerts):
        text = await _subscribe(me)
        await query.answer()
        await send(update, context, Screen(text))
        return
    if not isinstance(data, SendAlert | DiscardAlert | StopAlert):
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    feature = alerts_of(me.svc)
    row = await feature.store.broadcast(data.id)
    if row is None:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    if row.author_id != me.user.id:
        await query.answer(me.t("alert-not-yours"), show_alert=True)
        return
    if isinstance(data, DiscardAlert):
        if await feature.store.discard(row.id):
            await query.answer()
            await edit(query, Screen(me.t("alert-discarded")))
        else:
            await query.answer(me.t("alert-not-draft"), show_alert=True)
    elif isinstance(data, SendAlert):
        await _send_alert(update, context, me, row)
    else:
        await _stop_alert(query, me, row)


async def _send_alert(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                      row: BroadcastRow) -> None:
    query = update.callback_query
    assert query is not None
    svc = me.svc
    feature = alerts_of(svc)
    if row.state is not BroadcastState.DRAFT:
        await query.answer(me.t("alert-not-draft"), show_alert=True)
        return
    # Rights are checked again: the author may have lost them since the preview.
    refusal = await may_alert(context, svc, row.origin_chat, row.origin_chat > 0, me.user.id)
    if refusal is not None:
        await query.answer(me.t(refusal), show_alert=True)
        return
    limit = svc.settings.alert_max_per_hour
    if await feature.store.started_since(me.user.id, svc.now() - HOUR_S) >= limit:
        await query.answer(me.t("alert-rate-limited", max=limit), show_alert=True)
        return
    status = query.message
    assert status is not None
    total = await feature.store.start(row.id, svc.now(), status.chat.id, status.message_id,
                                      svc.settings.default_locale)
    if total is None:
        await query.answer(me.t("alert-not-draft"), show_alert=True)
        return
    await query.answer()
    started = await feature.store.broadcast(row.id)
    assert started is not None
    counts = await feature.store.counts(row.id)
    rate = svc.settings.broadcast_rate
    text, keyboard = status_screen(svc, started, counts, total / rate)
    await edit(query, Screen(text, keyboard))
    log.info("broadcast %d started by %d: %d recipients", row.id, me.user.id, total)
    if feature.sender is not None:
        feature.sender.wake()


async def _stop_alert(query: CallbackQuery, me: Who, row: BroadcastRow) -> None:
    feature = alerts_of(me.svc)
    if await feature.store.cancel(row.id, me.svc.now()):
        if feature.sender is not None:
            feature.sender.cancel(row.id)
        await query.answer(me.t("alert-stopping"))
        log.info("broadcast %d stopped by its author", row.id)
        if feature.sender is not None:
            await feature.sender.summarize_stopped(row.id)
    else:
        await query.answer(me.t("alert-not-draft"), show_alert=True)


# ---- /broadcasts -----------------------------------------------------------------------------


async def broadcasts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List recent broadcasts with their figures (all for bot admins, else one's own)."""
    me = await who(update, context)
    if me is None:
        return
    store = alerts_of(me.svc).store
    mine = None if me.user.id in me.svc.settings.admin_ids else me.user.id
    rows = await store.recent(BROADCASTS_SHOWN, author_id=mine)
    if not rows:
        await send(update, context, Screen(me.t("broadcasts-none")))
        return
    lines = []
    for row in rows:
        c = await store.counts(row.id)
        lines.append(me.t(
            "broadcasts-item", id=row.id, date=me.svc.fmt_time(row.started_at or row.created_at),
            state=me.t(BROADCAST_STATE_KEYS[row.state]), sent=c.sent, total=c.total,
            failed=c.failed, blocked=c.blocked, unknown=c.unknown,
        ))
    await send(update, context, Screen(me.t("broadcasts-title") + "\n" + "\n".join(lines)))


button = parsed_button(on_button)
