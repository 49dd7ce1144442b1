"""Every acknowledged step reaches the user: owed screens are resent after a restart.

Handlers record, before committing a step, that the chat is owed the screen that follows
(``common.owe``) and forget it once Telegram confirmed it (``common.settle``). Rows left behind by
a crash, or by retries that ran out, are sent again once the application has started: the screen
of the step the user's current case stands at, or its whole plan. A user who already had it may
see it twice; nobody is left without it.

This module also wires the rest of delivery into the application: the update processor (chat
order, handled update ids) and the error handler that ends a handler quietly once the user was
told a screen did not get through.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.handlers.common import Undelivered, delivery, send_to
from bot.handlers.triage import plan_screens, step_screens
from bot.handlers.views import Views
from bot.ratelimit import SharedSlots
from bot.services import Services, services_of
from bot.store.coord import coord_of
from bot.store.delivery import OwedKind, OwedRow
from bot.updates import ChatOrderedProcessor

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]

# Owed screens resent at once after a restart (the send budget paces them further).
RESEND_CONCURRENCY = 16


def processor(svc: Services) -> ChatOrderedProcessor:
    """Return the update processor: per-chat order, handled update ids kept in the store."""
    return ChatOrderedProcessor(ledger=delivery(svc).store)


def broadcast_pacer(svc: Services) -> SharedSlots | None:
    """Return the running alert broadcaster's pacer, to share the bot-wide message budget."""
    from bot.alerts.handlers import ALERTS_KEY, alerts_of  # (alerts import the triage views)

    feature = svc.extras.get(ALERTS_KEY)
    sender = alerts_of(svc).sender if feature is not None else None
    return sender.pacer if sender is not None else None


def register(app: App) -> None:
    """Add the error handler for undelivered screens, the repair step and the start hook.

    Call before any other error handler: it stops the generic "something went wrong" message
    after the user was already told how to continue.
    """
    svc = services_of(app)
    app.add_error_handler(on_undelivered)
    svc.hooks.on_start.append(resend_owed)
    if isinstance(app.update_processor, ChatOrderedProcessor):

        async def after(update: object) -> None:
            await repair(app, svc, update)

        app.update_processor.after = after


async def on_undelivered(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """End error handling for a screen that did not get through (the user was told)."""
    if isinstance(context.error, Undelivered):
        chat = update.effective_chat if isinstance(update, Update) else None
        update_id = getattr(update, "update_id", None)
        if isinstance(update_id, int):
            delivery(services_of(context.application)).undelivered.add(update_id)
        log.warning("update %s: a screen for chat %s stays owed", update_id,
                    chat.id if chat else None)
        raise ApplicationHandlerStop


async def repair(app: App, svc: Services, update: object) -> None:
    """After an update, send the chat what the update left owed (a handler that failed).

    A handler settles what it owes once its screens are confirmed; a row still there means it
    stopped half-way, e.g. answering the button failed after the step was committed. The screen
    is sent now, on the chat's turn. Not after ``Undelivered``: its retries just ran out and the
    user was told to come back (the row waits for them or for the next start).
    """
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    state = delivery(svc)
    if update.update_id in state.undelivered:
        state.undelivered.discard(update.update_id)
        return
    row = await state.store.owed_for(update.effective_chat.id)
    if row is None:
        return
    log.info("update %s left chat %s owed a screen: sending it", update.update_id, row.chat_id)
    try:
        await resend(app, svc, row)
    except TelegramError as exc:
        log.warning("the owed screen of chat %s is still not delivered (%s)", row.chat_id,
                    type(exc).__name__)


async def resend_owed(app: App) -> None:
    """Start sending the screens owed from before the restart (in the background)."""
    svc = services_of(app)
    coord = coord_of(svc)
    if coord is not None and coord.live > 1:
        # Other processes are live and their rows may be in flight: owed screens are sent
        # after each chat's next update instead (see ``processor``).
        log.info("other instances are live: owed screens wait for their chat's next update")
        return
    rows = await delivery(svc).store.owed()
    if not rows:
        return
    log.info("%d chats are owed a screen from before the restart: sending", len(rows))
    app.create_task(resend_all(app, svc, rows), name="resend-owed-screens")


async def resend_all(app: App, svc: Services, rows: list[OwedRow]) -> int:
    """Send every owed screen; return how many chats got theirs."""
    slots = asyncio.Semaphore(RESEND_CONCURRENCY)

    async def one(row: OwedRow) -> bool:
        async with slots:
            try:
                return await resend(app, svc, row)
            except Forbidden:
                log.info("chat %s blocked the bot: its owed screen is dropped", row.chat_id)
                await delivery(svc).store.settle(row)
            except TelegramError as exc:
                log.warning("the owed screen of chat %s is still not delivered (%s)",
                            row.chat_id, type(exc).__name__)
            return False

    done = sum(await asyncio.gather(*(one(row) for row in rows)))
    log.info("resent the owed screens of %d of %d chats", done, len(rows))
    return done


async def resend(app: App, svc: Services, row: OwedRow) -> bool:
    """Send one chat what it is owed, from what is stored now; settle it once confirmed."""
    store = delivery(svc).store
    user = await svc.store.get_user(row.user_id)
    case = await svc.store.current_case(user) if user is not None else None
    if user is None or case is None or case.paused:
        await store.settle(row)
        return False
    views = Views(svc, user.locale)
    if row.kind is OwedKind.PLAN and case.verdict is not None and case.step is None:
        screens = plan_screens(views, case)
    else:
        screens = step_screens(views, case)
    for screen in screens:
        await send_to(svc, app.bot, row.chat_id, screen)
    await store.settle(row)
    return bool(screens)
