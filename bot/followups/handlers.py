"""The /reminders command and the reminder buttons; ``register`` wires the feature in."""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.callbacks import Callback
from bot.followups.buttons import PATTERN, FollowupAnswer, FollowupPause, FollowupRecord
from bot.followups.scheduler import Tuning
from bot.followups.schema import Action, load_ladder
from bot.followups.service import ACTION_NEXT_KEYS, EXTRAS_KEY, Followups
from bot.handlers.common import (
    Who,
    acknowledge,
    edit,
    parsed_button,
    private_only,
    send,
    who,
)
from bot.handlers.views import Screen
from bot.services import Services, services_of
from bot.store.cases import CaseRow

log = logging.getLogger(__name__)


def followups_of(svc: Services) -> Followups:
    """Return the follow-up feature of an application."""
    value = svc.extras[EXTRAS_KEY]
    assert isinstance(value, Followups)
    return value


def register(app: Application[Any, Any, Any, Any, Any, Any],
             tuning: Tuning | None = None) -> Followups:
    """Load the ladder (a broken one stops start-up), add handlers and hooks."""
    svc = services_of(app)
    fu = Followups(svc, load_ladder(svc.flow, svc.t), tuning)
    svc.extras[EXTRAS_KEY] = fu
    app.add_handler(CommandHandler("reminders", reminders))
    app.add_handler(CallbackQueryHandler(button, pattern=PATTERN))
    svc.hooks.case_planned.append(fu.plan_case)
    svc.hooks.case_closed.append(fu.cancel_case)
    svc.hooks.case_actions.append(fu.case_actions)
    svc.hooks.export.append(fu.store.export_user)
    svc.hooks.on_start.append(fu.scheduler.start)

    async def stop(_: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await fu.scheduler.stop()

    svc.hooks.on_stop.append(stop)
    return fu


async def reminders(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the upcoming reminders of the user's cases."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    if me.row is None or not me.row.consented:
        await send(update, context, Screen(me.t("fu-list-empty")))
        return
    fu = followups_of(me.svc)
    cases = await me.svc.store.list_cases(me.user.id)
    await send(update, context, await fu.overview(cases, me.locale))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    query: CallbackQuery, data: Callback) -> None:
    """Handle a reminder answer or a pause/resume button; foreign or stale ones change nothing."""
    if isinstance(data, FollowupAnswer):
        await on_answer(me, query, data)
    elif isinstance(data, FollowupPause):
        await on_pause(me, query, data)
    elif isinstance(data, FollowupRecord):
        await on_record(update, context, me, query, data)
    else:
        await query.answer(me.t("button-stale"), show_alert=True)


async def on_answer(me: Who, query: Any, data: FollowupAnswer) -> None:
    """Apply an answer to a reminder, then show it under the reminder."""
    svc = me.svc
    fu = followups_of(svc)
    row = await fu.store.get(data.id)
    case = await svc.store.get_case(row.case_id) if row else None
    if row is None or case is None or row.user_id != me.user.id or case.user_id != me.user.id:
        await query.answer(me.t("button-foreign"), show_alert=True)
        return
    if not await fu.apply(row, case, data.a):
        await query.answer(me.t("fu-stale"), show_alert=True)
        return
    await acknowledge(query, me.t("fu-saved"))
    step = fu.ladder.step(row.step)
    fresh = await svc.store.get_case(case.id)
    if step is not None and fresh is not None:
        await edit(query, await fu.answered(step, fresh, me.locale, data.a))


async def own_case(me: Who, query: Any, case_id: int) -> CaseRow | None:
    """Return the presser's own case, or answer "not yours" and return None."""
    case = await me.svc.store.get_case(case_id)
    if case is None or case.user_id != me.user.id:
        await query.answer(me.t("button-foreign"), show_alert=True)
        return None
    return case


async def on_record(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, query: Any,
                    data: FollowupRecord) -> None:
    """Record the claim or JD's answer from /case, or restart stopped reminders."""
    fu = followups_of(me.svc)
    case = await own_case(me, query, data.case)
    if case is None:
        return
    if data.a == "restart":
        done = await fu.restart(case)
        reply = "fu-next-restarted"
    else:
        action = Action(data.a)
        done = await fu.record(case, action)
        reply = ACTION_NEXT_KEYS[action]
    if not done:
        await query.answer(me.t("fu-stale"), show_alert=True)
        return
    await acknowledge(query, me.t("fu-saved"))
    await send(update, context, Screen(me.t(reply)))


async def on_pause(me: Who, query: Any, data: FollowupPause) -> None:
    """Pause or resume a case's reminders and redraw the list."""
    svc = me.svc
    fu = followups_of(svc)
    case = await own_case(me, query, data.case)
    if case is None:
        return
    paused = await fu.store.pause_reason(case.id) is not None
    if paused == data.pause:
        await query.answer(me.t("fu-stale"), show_alert=True)
        return
    await fu.set_paused(case, data.pause)
    if data.pause:
        await acknowledge(query, me.t("fu-paused-ok"))
    else:
        await acknowledge(query, me.t("fu-resumed-ok"))
    cases = await svc.store.list_cases(me.user.id)
    await edit(query, await fu.overview(cases, me.locale))


button = parsed_button(on_button)
