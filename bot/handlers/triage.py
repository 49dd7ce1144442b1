"""The first conversation: consent, symptoms, emergency steps, questions, verdict and plan.

State lives in SQLite only (the case's ``step``), so any message or button can be handled
after a restart; each change is committed before the reply that depends on it is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal

from telegram import CallbackQuery, Message, Update
from telegram.ext import ContextTypes

from bot.callbacks import BadCallback, Callback, parse
from bot.engine.schema import (
    AmountStep,
    ChoiceStep,
    EmergencyStep,
    Flow,
    Step,
    SymptomsStep,
    VerdictStep,
)
from bot.engine.walker import Answers, next_step, skipped, verdict
from bot.handlers.common import (
    Who,
    edit,
    edit_keyboard,
    owe,
    parsed_button,
    private_only,
    send,
    settle,
    who,
)
from bot.handlers.views import (
    STATUS_KEYS,
    UNKNOWN_AMOUNT,
    AmountOk,
    AnonConsent,
    AnonDone,
    AnonTick,
    AnonToggle,
    Answer,
    Back,
    CaseAction,
    Consent,
    Edit,
    EditMenu,
    NewCase,
    Part,
    Proceed,
    Resume,
    Screen,
    Show,
    SymptomsDone,
    Tick,
    Toggle,
    Views,
    kb,
)
from bot.money import (
    MAX_AMOUNT,
    AmountError,
    Problem,
    format_amount,
    looks_like_code,
    parse_amount,
)
from bot.safety import find_secrets
from bot.services import services_of
from bot.store.cases import AMOUNT_KEY, CaseRow, CaseStatus
from bot.store.delivery import OwedKind

log = logging.getLogger(__name__)


# A case left in triage this long is closed (it would otherwise stay "in triage" forever).
ABANDONED_AFTER_DAYS = 14

# Acknowledges a button (answer the query, redraw its message); runs after the commit.
Ack = Callable[[], Awaitable[None]]


# ---- entry points ----------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet; ask for consent, offer to continue an open case, or open a new one."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    if me.row is None or not me.row.consented:
        await send(update, context, me.views.welcome())
        return
    case = await me.svc.store.current_case(me.row)
    if case is not None and case.status is not CaseStatus.CLOSED:
        await send(update, context, me.views.resume_offer(case))
        return
    await open_case(update, context, me)


async def new_case(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open another case (after consent); with a case open, ask first."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    if me.row is None or not me.row.consented:
        await send(update, context, me.views.welcome())
        return
    case = await me.svc.store.current_case(me.row)
    if case is not None and case.status is not CaseStatus.CLOSED:
        await send(update, context, me.views.resume_offer(case))
        return
    await open_case(update, context, me)


async def open_case(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    ack: Ack | None = None) -> None:
    """Create a case, commit it, then ask for symptoms."""
    owed = await owe(update, me)
    case = await me.svc.store.create_case(me.user.id, me.svc.flow.start, me.svc.now())
    if ack is not None:
        await ack()
    await send(update, context, me.views.symptoms(case))
    await settle(me, owed)


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Leave the current question; the case stays where it was."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    case = await me.svc.store.current_case(me.row) if me.row else None
    if case is None or case.step is None or case.paused:
        await send(update, context, Screen(me.t("cancel-nothing")))
        return
    case.paused = True
    await me.svc.store.save_case(case, me.svc.now())
    await send(update, context, Screen(me.t("cancel-done", case=case.id)))


async def show_case(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the current case with its progress and history."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    case = await me.svc.store.current_case(me.row) if me.row else None
    if case is None:
        await send(update, context, Screen(me.t("case-none")))
        return
    await send(update, context, await case_screen(me, case))


async def case_screen(me: Who, case: CaseRow) -> Screen:
    """The /case screen: summary, history and the buttons features add."""
    events = await me.svc.store.events(case.id)
    extra = [row for hook in me.svc.hooks.case_actions for row in await hook(case, me.locale)]
    return me.views.case_summary(case, events, extra)


async def list_cases(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the user's cases with a button to open each."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    cases = await me.svc.store.list_cases(me.user.id) if me.row else []
    if not cases:
        await send(update, context, Screen(me.t("case-none")))
        return
    current = me.row.current_case if me.row else None
    lines = [
        me.t(
            "cases-line",
            case=c.id,
            date=me.svc.fmt_time(c.created_at),
            status=me.t(STATUS_KEYS[c.status]),
            current="yes" if c.id == current else "no",
        )
        for c in cases[:20]
    ]
    rows = [[(me.t("btn-open-case", case=c.id), Show(case=c.id, what="s"))] for c in cases[:20]]
    await send(update, context, Screen(me.t("cases-title") + "\n\n" + "\n".join(lines)
                                       + "\n\n" + me.t("cases-hint"), kb(rows)))


# ---- text answers ----------------------------------------------------------------------------


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle typed text in private: refuse secrets, take amounts, otherwise guide."""
    message = update.effective_message
    me = await who(update, context)
    if me is None or message is None or message.text is None:
        return
    case = await me.svc.store.current_case(me.row) if me.row and me.row.consented else None
    waiting = None if case is None or case.paused or case.step is None else me.svc.flow.step(
        case.step
    )
    secrets = find_secrets(message.text, expecting_number=isinstance(waiting, AmountStep))
    if secrets:
        # Nothing of the message is kept; try to remove it from the chat too.
        try:
            await message.delete()
        except Exception:
            log.debug("could not delete a message with a secret")
        await send(update, context, Screen(me.t("secret-warning")))
        return
    if me.row is None or not me.row.consented:
        # A pasted scam gets the checker's answer (it stores nothing); any other first message
        # gets the welcome, like /start (nothing is stored before consent).
        for hook in me.svc.hooks.stray_text:
            if await hook(update, context, me, message.text):
                return
        await send(update, context, me.views.welcome())
        return
    if case is None or waiting is None:
        for hook in me.svc.hooks.stray_text:
            if await hook(update, context, me, message.text):
                return
        await send(update, context, stray_text_answer(me, case))
        return
    if isinstance(waiting, AmountStep):
        try:
            amount = parse_amount(message.text)
        except AmountError as exc:
            key = waiting.invalid if exc.problem is Problem.UNREADABLE else (
                AMOUNT_PROBLEM_KEYS[exc.problem])
            await send(update, context, Screen(me.t(key)))
            return
        if looks_like_code(message.text):
            # Six to eight bare digits look like an SMS code: ask before storing anything.
            await send(update, context, me.views.amount_confirm(case, int(amount)))
            return

        async def echo() -> None:
            await send(update, context, me.views.amount_echo(case))

        await take_amount(update, context, me, case, waiting, amount, echo)
        return
    # Point at what the step needs instead of repeating a long screen.
    if isinstance(waiting, SymptomsStep):
        await send(update, context, Screen(me.t("fallback-symptoms")))
    elif isinstance(waiting, EmergencyStep):
        await send(update, context, Screen(me.t("fallback-emergency")))
    else:
        await send(update, context, Screen(me.t("fallback-use-buttons")))
        await show_step(update, context, me, case)


def stray_text_answer(me: Who, case: CaseRow | None) -> Screen:
    """A short, useful answer to text when no question is open."""
    if case is None or case.status is CaseStatus.CLOSED:
        return Screen(me.t("fallback-idle"))
    if case.paused and case.step is not None:
        return Screen(me.t("fallback-paused", case=case.id, step=me.views.step_name(case)),
                      kb([[(me.t("btn-resume"), Resume(case=case.id))]]))
    return Screen(me.t("fallback-planned", case=case.id), kb([
        [(me.t("btn-show-plan"), Show(case=case.id, what="n")),
         (me.t("btn-edit-answers"), EditMenu(case=case.id))],
    ]))


AMOUNT_PROBLEM_KEYS: dict[Problem, str] = {
    Problem.UNREADABLE: "q-amount-invalid",
    Problem.ZERO: "amount-zero",
    Problem.TOO_SMALL: "amount-too-small",
    Problem.NEGATIVE: "amount-negative",
    Problem.TOO_LARGE: "amount-too-large",
}


async def take_amount(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                      case: CaseRow, step: AmountStep, amount: Decimal, ack: Ack) -> None:
    """Store the amount lost, read it back (``ack``, after the commit), and go on."""
    before = case.facts()
    old = case.amount
    case.amount = amount.quantize(Decimal("0.01"))
    case.answers = {**case.answers, AMOUNT_KEY: "known"}
    await focus(me, case)
    changed = old is not None and old != amount
    await advance(update, context, me, case, step.id, "changed" if changed else "answered",
                  ack=ack, added=added_emergency(me, before, case), step=step.id,
                  answer=format_amount(amount))


# ---- the walk --------------------------------------------------------------------------------


async def show_step(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    case: CaseRow) -> None:
    """Send the screen of the step a case stands at."""
    if case.step is not None and isinstance(me.svc.flow.step(case.step), VerdictStep):
        await finish(update, context, me, case)
        return
    for screen in step_screens(me.views, case):
        await send(update, context, screen)


def step_screens(views: Views, case: CaseRow) -> list[Screen]:
    """Return the screen of the step a case stands at (the plan's footer once planned)."""
    if case.step is None:
        return [views.plan_now(case)]
    step = views.flow.step(case.step)
    if isinstance(step, SymptomsStep):
        return [views.symptoms(case)]
    if isinstance(step, EmergencyStep):
        return [views.emergency(case, with_proceed=True)]
    if isinstance(step, ChoiceStep | AmountStep):
        return [views.question(case, step.id)]
    return []


def has_answer(flow: Flow, case: CaseRow, step: Step) -> bool:
    """Tell whether a case already holds this step's answer (after going back or an edit)."""
    if isinstance(step, ChoiceStep):
        return step.id in case.answers
    if isinstance(step, AmountStep):
        return case.amount_known is not None
    if isinstance(step, EmergencyStep):
        # The emergency list was left once any question was answered.
        return any(has_answer(flow, case, s) for s in flow.steps
                   if isinstance(s, ChoiceStep | AmountStep))
    return False


def next_open(flow: Flow, case: CaseRow, from_step: str) -> Step | None:
    """The step after ``from_step`` the case still needs: skipped or answered ones pass."""
    facts = case.facts()
    step = next_step(flow, from_step, facts)
    while step is not None and has_answer(flow, case, step):
        step = next_step(flow, step.id, facts)
    return step


def previous_step(flow: Flow, case: CaseRow) -> Step | None:
    """The step before the current one on this case's path (skipped questions left out)."""
    facts = case.facts()
    path: list[Step] = [flow.step(flow.start)]
    while path[-1].id != case.step:
        nxt = next_step(flow, path[-1].id, facts)
        if nxt is None:
            return None
        path.append(nxt)
    return path[-2] if len(path) > 1 else None


def added_emergency(me: Who, before: Answers, case: CaseRow) -> list[str]:
    """Return the emergency steps that the latest answer has just made necessary."""
    had = {it.id for _, it in me.views.emergency_items(before)}
    return [it.id for _, it in me.views.emergency_items(case.facts()) if it.id not in had]


async def advance(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, case: CaseRow,
                  from_step: str, event: str | None = None, ack: Ack | None = None,
                  added: list[str] | None = None, **data: str) -> None:
    """Move a case past ``from_step``, commit, acknowledge, then show what comes next.

    Emergency steps ``added`` by the answer (stop the fraudster, call 110) come first.
    """
    nxt = next_open(me.svc.flow, case, from_step)
    case.step = None if nxt is None else nxt.id
    case.paused = False
    if isinstance(nxt, VerdictStep) or nxt is None:
        # The plan leads with any emergency step the answers made necessary.
        await finish(update, context, me, case, event=event, ack=ack, **data)
        return
    owed = await owe(update, me)
    await me.svc.store.save_case(case, me.svc.now(), event, **data)
    if ack is not None:
        await ack()
    if added:
        await send(update, context, me.views.emergency_added(case, added))
    await show_step(update, context, me, case)
    await settle(me, owed)


async def finish(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, case: CaseRow,
                 event: str | None = None, ack: Ack | None = None, **data: str) -> None:
    """Store the verdict and plan, run the planned-case hooks, then send the plan."""
    svc = me.svc
    result = verdict(svc.flow, case.facts())
    first = case.verdict is None
    case.verdict = result.outcome.value
    case.step = None
    if case.status is CaseStatus.TRIAGE:
        case.status = CaseStatus.PLANNED
    events: list[tuple[str, dict[str, str]]] = [(event, data)] if event else []
    events.append(("verdict", {"outcome": result.outcome.value,
                               "rules": ",".join(result.rule_ids)}))
    owed = await owe(update, me, OwedKind.PLAN)
    # The last answer and the verdict land together: a crash leaves neither or both.
    await svc.store.save_case_events(case, svc.now(), events)
    # Hooks commit what the plan promises (the follow-up ladder) before anything is acknowledged;
    # a changed answer recomputes the plan, and reminders check it when they fall due.
    for hook in svc.hooks.case_planned if first else ():
        await hook(case)
    if ack is not None:
        await ack()
    views = me.views
    # Three messages, not five: a burst to one chat should stay small (about 1/s per chat).
    for screen in plan_screens(views, case):
        await send(update, context, screen)
    await settle(me, owed)


def plan_screens(views: Views, case: CaseRow) -> list[Screen]:
    """Return the plan of a case with a verdict as it is sent (also used to resend it): the
    verdict, then what to do now with the other parts behind buttons that edit in place."""
    return [views.verdict(case), views.plan_now(case)]


async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                 case: CaseRow, ack: Ack | None = None) -> None:
    """Make a case current and unpaused, then show its step."""
    await focus(me, case)
    if case.paused:
        case.paused = False
        await me.svc.store.save_case(case, me.svc.now())
    if ack is not None:
        await ack()
    await show_step(update, context, me, case)


async def focus(me: Who, case: CaseRow) -> None:
    """Make a case the user's current one, so typed answers go to the case last touched."""
    assert me.row is not None
    if me.row.current_case != case.id:
        await me.svc.store.set_current(me.user.id, case.id, me.svc.now())
        me.row = me.row.model_copy(update={"current_case": case.id})


# ---- buttons ---------------------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    query: CallbackQuery, data: Callback) -> None:
    """Handle one parsed triage button."""
    svc = me.svc
    flow = svc.flow
    if isinstance(data, Consent):
        await on_consent(update, context, me, query, data)
        return
    if isinstance(data, AnonToggle | AnonDone | AnonTick):
        await on_anon(update, context, me, query, data)
        return
    if isinstance(data, AnonConsent):
        await on_anon_consent(update, context, me, query, data)
        return
    if isinstance(data, NewCase):
        if me.row is None or not me.row.consented:
            await query.answer()
            await send(update, context, me.views.welcome())
            return

        async def ack_new() -> None:
            await query.answer()
            await edit_keyboard(query, Screen(""))

        await open_case(update, context, me, ack=ack_new)
        return

    case_id = getattr(data, "case", None)
    case = await svc.store.get_case(case_id) if isinstance(case_id, int) else None
    if case is None or case.user_id != me.user.id or me.row is None or not me.row.consented:
        await query.answer(me.t("button-foreign"), show_alert=True)
        return

    if isinstance(data, Resume):

        async def ack_resume() -> None:
            await query.answer()
            await edit_keyboard(query, Screen(""))

        await resume(update, context, me, case, ack=ack_resume)
    elif isinstance(data, Show):
        await query.answer()
        await on_show(update, context, me, case, data)
    elif isinstance(data, Toggle):
        if case.step != flow.start or not 0 <= data.i < len(flow.symptoms):
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        sid = flow.symptoms[data.i].id
        if (sid in case.symptoms) == data.on:
            # Already so (a replay or a double press): nothing changes, nothing is redrawn.
            await query.answer()
            return
        chosen = set(case.symptoms) | {sid} if data.on else set(case.symptoms) - {sid}
        case.symptoms = [s for s in flow.symptom_ids() if s in chosen]
        await focus(me, case)
        await svc.store.save_case(case, svc.now())
        await query.answer()
        await edit_keyboard(query, me.views.symptoms(case))
    elif isinstance(data, SymptomsDone):
        if case.step != flow.start:
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        if not case.symptoms:
            await query.answer(me.t("symptoms-none"), show_alert=True)
            return
        await focus(me, case)
        # Changed after the emergency list was left: show the list again for the new choice.
        revisit = has_answer(flow, case, flow.step("emergency"))

        async def ack_symptoms() -> None:
            await query.answer()
            await edit(query, me.views.symptoms_chosen(case.symptoms))
            if revisit:
                await send(update, context, me.views.emergency(case, with_proceed=False))

        await advance(update, context, me, case, flow.start, "symptoms", ack=ack_symptoms,
                      symptoms=",".join(case.symptoms))
    elif isinstance(data, Tick):
        await on_tick(update, context, me, query, case, data)
    elif isinstance(data, Proceed):
        # Only the emergency list has a "next" button: forged data cannot skip a question.
        if case.step is None or data.step != flow.step_index(case.step) or not isinstance(
            flow.step(case.step), EmergencyStep
        ):
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        await focus(me, case)

        async def ack_proceed() -> None:
            await query.answer()
            await edit_keyboard(query, me.views.emergency(case, with_proceed=False))

        await advance(update, context, me, case, case.step, ack=ack_proceed)
    elif isinstance(data, Answer):
        await on_answer(update, context, me, query, case, data)
    elif isinstance(data, Back):
        await on_back(update, context, me, query, case, data)
    elif isinstance(data, Edit):
        await on_edit(update, context, me, query, case, data)
    elif isinstance(data, EditMenu):
        if case.status is CaseStatus.CLOSED or case.step == flow.start:
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        await query.answer()
        await send(update, context, me.views.edit_menu(case))
    elif isinstance(data, Part):
        if case.verdict is None:
            await query.answer(me.t("plan-not-ready"), show_alert=True)
            return
        await query.answer()
        await edit(query, me.views.part(case, data.what))
    elif isinstance(data, AmountOk):
        step = flow.step(case.step) if case.step is not None else None
        if not isinstance(step, AmountStep) or data.value > MAX_AMOUNT:
            await query.answer(me.t("button-stale"), show_alert=True)
            return

        async def ack_amount() -> None:
            await query.answer()
            await edit(query, me.views.amount_echo(case))

        await take_amount(update, context, me, case, step, Decimal(data.value), ack_amount)
    elif isinstance(data, CaseAction):
        await on_case_action(update, context, me, query, case, data)
    else:
        await query.answer(me.t("button-stale"), show_alert=True)


async def on_show(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, case: CaseRow,
                  data: Show) -> None:
    """Send one part of a case's plan."""
    views = me.views
    if data.what == "s":
        assert me.row is not None
        if me.row.current_case != case.id:
            await me.svc.store.set_current(me.user.id, case.id, me.svc.now())
        await send(update, context, await case_screen(me, case))
    elif data.what == "e":
        await send(update, context, views.emergency(case, with_proceed=False))
    elif case.verdict is None:
        await send(update, context, Screen(me.t("plan-not-ready")))
    else:
        await send(update, context, views.part(case, data.what))


async def on_tick(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                  query: CallbackQuery, case: CaseRow, data: Tick) -> None:
    """Tick an emergency step or evidence item and redraw the checklist."""
    views = me.views
    if data.list in ("e", "a"):
        items = dict(views.emergency_items(case.facts()))
        if data.i not in items or not case.symptoms:
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        item_id = items[data.i].id
        if (item_id in case.emergency_done) == data.on:
            await query.answer(me.t("tick-saved"))  # already so: a replay changes nothing
            return
        done = set(case.emergency_done) | {item_id} if data.on else (
            set(case.emergency_done) - {item_id})
        case.emergency_done = [it.id for it in items.values() if it.id in done]
        all_done = len(case.emergency_done) == len(items)
        await me.svc.store.save_case(
            case, me.svc.now(), "emergency_done" if all_done and data.on else None
        )
        await query.answer(me.t("tick-saved"))
        if data.list == "a":
            # The short list of steps an answer added: redraw the same items.
            shown = [items[i].id for i in keyboard_ticks(query) if i in items]
            await edit(query, views.emergency_added(case, shown))
            return
        proceed = case.step == "emergency"
        await edit(query, views.emergency(case, with_proceed=proceed))
        return
    items = dict(views.evidence_items(case)) if case.verdict is not None else {}
    if data.i not in items:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    item_id = items[data.i].id
    if (item_id in case.evidence_done) == data.on:
        await query.answer(me.t("tick-saved"))
        return
    done = set(case.evidence_done) | {item_id} if data.on else set(case.evidence_done) - {item_id}
    case.evidence_done = [it.id for it in items.values() if it.id in done]
    await me.svc.store.save_case(case, me.svc.now())
    await query.answer(me.t("tick-saved"))
    await edit(query, views.evidence(case))


def keyboard_ticks(query: CallbackQuery) -> list[int]:
    """Return the item indices of the tick buttons on the message a button sits on."""
    message = query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    found: list[int] = []
    for row in markup.inline_keyboard if markup is not None else ():
        for button in row:
            try:
                data = parse(str(button.callback_data))
            except BadCallback:
                continue
            if isinstance(data, Tick):
                found.append(data.i)
    return found


async def on_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    query: CallbackQuery, case: CaseRow, data: Answer) -> None:
    """Take a button answer to the question the case is waiting on."""
    flow = me.svc.flow
    if case.step is None or data.step != flow.step_index(case.step):
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    step = flow.step(case.step)
    before = case.facts()
    option = next((o for o in step.options if o.id == data.opt), None) if isinstance(
        step, ChoiceStep) else None
    old = case.answers.get(step.id)
    if option is not None:
        case.answers = {**case.answers, step.id: option.id}
        label = me.t(option.label)
        answer = option.id
    elif isinstance(step, AmountStep) and data.opt == UNKNOWN_AMOUNT:
        case.amount = None
        case.answers = {**case.answers, AMOUNT_KEY: "unknown"}
        label = me.t(step.unknown_label)
        answer = "unknown"
    else:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    await focus(me, case)

    async def ack_answer() -> None:
        # Runs after the commit: the edited question is the acknowledgement the user sees.
        await query.answer()
        await edit(query, me.views.answered(step.id, label))

    event = "changed" if old is not None and old != answer else "answered"
    await advance(update, context, me, case, step.id, event, ack=ack_answer,
                  added=added_emergency(me, before, case), step=step.id, answer=answer)


async def on_back(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                  query: CallbackQuery, case: CaseRow, data: Back) -> None:
    """Go back one step from the step the button was sent for (answers are kept)."""
    flow = me.svc.flow
    prev = previous_step(flow, case) if case.step is not None else None
    if prev is None or case.step is None or data.step != flow.step_index(case.step):
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    case.step = prev.id
    case.paused = False
    await focus(me, case)
    owed = await owe(update, me)
    await me.svc.store.save_case(case, me.svc.now())
    await query.answer()
    await edit_keyboard(query, Screen(""))
    await show_step(update, context, me, case)
    await settle(me, owed)


async def on_edit(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                  query: CallbackQuery, case: CaseRow, data: Edit) -> None:
    """Answer a question (or pick symptoms) again; the walk goes on to what is still open."""
    flow = me.svc.flow
    target = flow.steps[data.step] if data.step < len(flow.steps) else None
    reached = case.step is None or flow.step_index(case.step) >= data.step
    if (target is None or case.status is CaseStatus.CLOSED or not reached
            or not isinstance(target, SymptomsStep | ChoiceStep | AmountStep)
            or (not isinstance(target, SymptomsStep) and skipped(target, case.facts()))):
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    case.step = target.id
    case.paused = False
    await focus(me, case)
    owed = await owe(update, me)
    await me.svc.store.save_case(case, me.svc.now())
    await query.answer()
    await show_step(update, context, me, case)
    await settle(me, owed)


async def on_case_action(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                         query: CallbackQuery, case: CaseRow, data: CaseAction) -> None:
    """Close a case, or delete it after a confirmation."""
    svc = me.svc
    if data.a == "close":
        if case.status is CaseStatus.CLOSED:
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        await svc.store.close_case(case, svc.now(), reason="user")
        for hook in svc.hooks.case_closed:
            await hook(case)
        await query.answer(me.t("case-closed-ok"))
        await send(update, context, Screen(me.t("case-closed", case=case.id)))
    elif data.a == "delete":
        await query.answer()
        await send(update, context, Screen(me.t("case-delete-confirm", case=case.id), kb([
            [(me.t("btn-delete-case-yes", case=case.id),
              CaseAction(case=case.id, a="delete_yes"))],
            [(me.t("btn-keep-case"), CaseAction(case=case.id, a="keep"))],
        ])))
    elif data.a == "delete_yes":
        await svc.store.delete_case(case)
        await query.answer()
        await edit(query, Screen(me.t("case-deleted", case=case.id)))
    else:
        await query.answer()
        await edit(query, Screen(me.t("case-kept", case=case.id)))


async def on_consent(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                     query: CallbackQuery, data: Consent) -> None:
    """Record consent and open a case, or give emergency help without storing anything."""
    if not data.yes:
        await query.answer()
        await edit_keyboard(query, Screen(""))
        await send(update, context, me.views.anon_symptoms(0))
        return
    svc = me.svc
    fresh = me.row is None or not me.row.consented
    if fresh:
        await svc.store.give_consent(me.user.id, me.locale, svc.now())
        me.row = await svc.store.get_user(me.user.id)

    async def ack_consent() -> None:
        # Runs once the case is committed and its first screen owed: a crash from here on
        # still gets the user their screen at the next start.
        await query.answer()
        await edit_keyboard(query, Screen(""))
        if fresh:
            await send(update, context, Screen(me.t("consent-thanks")))

    assert me.row is not None
    case = await svc.store.current_case(me.row)
    if case is not None and case.status is not CaseStatus.CLOSED:
        await resume(update, context, me, case, ack=ack_consent)
        return
    await open_case(update, context, me, ack=ack_consent)


async def on_anon(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                  query: CallbackQuery, data: AnonToggle | AnonDone | AnonTick) -> None:
    """Walk symptoms and emergency steps with all state in the buttons, storing nothing."""
    views = me.views
    limit = 1 << len(me.svc.flow.symptoms)
    if not 0 <= data.mask < limit:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    if isinstance(data, AnonToggle):
        if not 0 <= data.i < len(me.svc.flow.symptoms):
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        await query.answer()
        await edit_keyboard(query, views.anon_symptoms(data.mask ^ (1 << data.i)))
    elif isinstance(data, AnonDone):
        if data.mask == 0:
            await query.answer(me.t("symptoms-none"), show_alert=True)
            return
        await query.answer()
        await edit(query, views.symptoms_chosen(views.mask_to_ids(data.mask)))
        await send(update, context, views.anon_emergency(data.mask, 0))
        await send(update, context, views.anon_after())
    else:
        symptoms = frozenset(views.mask_to_ids(data.mask))
        valid = {i for i, _ in views.emergency_items(Answers(symptoms=symptoms))}
        if data.i not in valid or data.done >> len(me.svc.flow.emergency):
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        await query.answer()
        await edit(query, views.anon_emergency(data.mask, data.done ^ (1 << data.i)))


async def close_abandoned_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Close cases left half-way through the triage for ABANDONED_AFTER_DAYS."""
    svc = services_of(context.application)
    now = svc.now()
    for case_id in await svc.store.close_abandoned(now - ABANDONED_AFTER_DAYS * 86400, now):
        case = await svc.store.get_case(case_id)
        if case is not None:
            for hook in svc.hooks.case_closed:
                await hook(case)
        log.info("closed abandoned case %s", case_id)


async def on_anon_consent(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                          query: CallbackQuery, data: AnonConsent) -> None:
    """Agree after the unstored emergency steps: the picks and ticks become the case's."""
    svc = me.svc
    flow = svc.flow
    if not 0 < data.mask < 1 << len(flow.symptoms) or data.done >> len(flow.emergency):
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    fresh = me.row is None or not me.row.consented
    if fresh:
        await svc.store.give_consent(me.user.id, me.locale, svc.now())
        me.row = await svc.store.get_user(me.user.id)
    views = me.views
    symptoms = views.mask_to_ids(data.mask)
    facts = Answers(symptoms=frozenset(symptoms))
    ticked = [it.id for i, it in views.emergency_items(facts) if data.done >> i & 1]
    emergency = next(s.id for s in flow.steps if isinstance(s, EmergencyStep))
    owed = await owe(update, me)
    now = svc.now()
    case = await svc.store.create_case(me.user.id, emergency, now)
    case.symptoms = symptoms
    case.emergency_done = ticked
    await svc.store.save_case(case, now, "symptoms", symptoms=",".join(symptoms))
    await query.answer()
    await edit_keyboard(query, Screen(""))
    if fresh:
        await send(update, context, Screen(me.t("consent-thanks-kept")))
    await send(update, context, views.emergency(case, with_proceed=True))
    await settle(me, owed)


button = parsed_button(on_button)
