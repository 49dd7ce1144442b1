"""The ladder at work: schedule a case's reminders, render them, apply the answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.engine.schema import Item
from bot.engine.walker import items_for, verdict
from bot.followups.buttons import FollowupAnswer, FollowupPause, FollowupRecord
from bot.followups.calendar import due_time
from bot.followups.scheduler import Outgoing, Scheduler, Tuning
from bot.followups.schema import Action, Delay, Ladder, SkipIf, Step, Trigger
from bot.followups.store import FollowupRow, FollowupStore, Pause, State
from bot.handlers.views import STATUS_KEYS, Screen, Views, kb
from bot.services import Services
from bot.store.cases import CaseRow, CaseStatus
from bot.store.db import Tx

EXTRAS_KEY = "followups"

# Answer buttons: action -> label key, and what the bot says happens next once answered.
ACTION_KEYS: dict[Action, str] = {
    Action.DONE: "fu-btn-done",
    Action.NOT_YET: "fu-btn-not-yet",
    Action.CLAIM_SUBMITTED: "fu-btn-claim-submitted",
    Action.PAID_FULL: "fu-btn-paid-full",
    Action.PAID_PART: "fu-btn-paid-part",
    Action.REFUSED: "fu-btn-refused",
    Action.STOP: "fu-btn-stop",
}
ACTION_NEXT_KEYS: dict[Action, str] = {
    Action.DONE: "fu-next-done",
    Action.NOT_YET: "fu-next-not-yet",
    Action.CLAIM_SUBMITTED: "fu-next-claim-submitted",
    Action.PAID_FULL: "fu-next-paid-full",
    Action.PAID_PART: "fu-next-paid-part",
    Action.REFUSED: "fu-next-refused",
    Action.STOP: "fu-next-stop",
}
_OPEN = (CaseStatus.TRIAGE, CaseStatus.PLANNED)
_RECORDABLE = (Action.CLAIM_SUBMITTED, Action.PAID_FULL, Action.PAID_PART, Action.REFUSED)
_CLAIMED = (CaseStatus.CLAIM_SUBMITTED, CaseStatus.ESCALATED, CaseStatus.CLOSED)


class Followups:
    """The follow-up feature: ladder, storage and sender for one application."""

    def __init__(self, svc: Services, ladder: Ladder, tuning: Tuning | None = None) -> None:
        self.svc = svc
        self.ladder = ladder
        self.store = FollowupStore(svc.db)
        self.scheduler = Scheduler(svc, self.store, self.prepare, self.snooze_due, tuning)

    # -- time ------------------------------------------------------------------------------
    def due(self, anchor: float, delay: Delay) -> float:
        """Return when a reminder delayed from ``anchor`` falls due under the settings."""
        s = self.svc.settings
        return due_time(anchor, delay, tz=s.tz, scale=s.followup_delay_scale, quiet=s.quiet_hours)

    def snooze_due(self, now: float) -> float:
        """Return when a "not yet" question is asked again."""
        return self.due(now, self.ladder.snooze)

    # -- scheduling ------------------------------------------------------------------------
    async def plan_case(self, case: CaseRow) -> None:
        """Schedule the ladder of a freshly planned case (committed before the plan is sent)."""
        now = self.svc.now()
        async with self.svc.db.transaction() as conn:
            await self.store.cancel(conn, case.id)
            earliest = await self._fire(conn, case, Trigger.PLANNED, now)
        if earliest is not None:
            self.scheduler.arm(earliest)

    async def _fire(self, conn: Tx, case: CaseRow, trigger: Trigger,
                    now: float) -> float | None:
        """Cancel and schedule what a trigger says; return the earliest new due time."""
        await self.store.cancel(conn, case.id,
                                [s.id for s in self.ladder.steps if trigger in s.cancel_on])
        earliest: float | None = None
        for step in self.ladder.steps:
            for item in step.schedule:
                if item.trigger is not trigger:
                    continue
                # A step has at most one pending reminder: the newest trigger decides when.
                await self.store.cancel(conn, case.id, [step.id])
                due = self.due(now, item.after)
                await self.store.schedule(conn, case.id, case.user_id, step.id, due, now)
                earliest = due if earliest is None else min(earliest, due)
        return earliest

    # -- rendering -------------------------------------------------------------------------
    def skip(self, step: Step, case: CaseRow) -> bool:
        """Tell whether a due reminder has become pointless."""
        for cond in step.skip_if:
            if cond is SkipIf.EMERGENCY_DONE and not self.unticked(case):
                return True
            if cond is SkipIf.CLAIM_SUBMITTED and case.status in _CLAIMED:
                return True
            if cond is SkipIf.NO_CLAIM:
                outcome = verdict(self.svc.flow, case.facts()).outcome
                if self.svc.flow.verdict.plans[outcome].claim is None:
                    return True
        return False

    def unticked(self, case: CaseRow) -> list[Item]:
        """Return the emergency items of a case not ticked yet."""
        return [it for it in items_for(self.svc.flow.emergency, case.facts())
                if it.id not in case.emergency_done]

    def body(self, step: Step, case: CaseRow, locale: str) -> str:
        """Return the text of a reminder, with the part that depends on the case."""
        views = Views(self.svc, locale)
        # ``police``: the triage answer ("reported", "not_yet"), so the text can match it.
        parts = [views.t(step.text, case=case.id, police=case.answers.get("police", "unknown"))]
        if step.content == "emergency":
            parts.append("\n".join(f"▫️ {views.short(it)}" for it in self.unticked(case)))
        elif step.content == "escalation":
            items = [it for it in items_for(self.svc.flow.escalation, case.facts())
                     if it.id in step.channels]
            parts.append("\n".join(f"• {views.t(it.text)}" for it in items))
            parts.append(views.t("fu-escalate-prepare"))
        return "\n\n".join(p for p in parts if p)

    def keyboard(self, step: Step, followup_id: int, locale: str) -> InlineKeyboardMarkup:
        """Return the answer buttons of a reminder, two per row."""
        buttons = [(self.svc.t(locale, ACTION_KEYS[a]), FollowupAnswer(id=followup_id, a=a))
                   for a in step.buttons]
        return kb([buttons[i:i + 2] for i in range(0, len(buttons), 2)])

    async def answered(self, step: Step, case: CaseRow, locale: str, action: Action) -> Screen:
        """Return a reminder once answered: its text, the answer and what happens next.

        The answer's label already starts with its icon. What happens next says whether more
        reminders are coming for the case (``more``), so the last one does not promise others.
        """
        t = self.svc.t
        waiting = await self.store.of_case(case.id, [State.PENDING, State.PAUSED])
        more = "yes" if waiting else "no"
        return Screen(
            self.body(step, case, locale)
            + f"\n\n<b>{t(locale, ACTION_KEYS[action])}</b>\n"
            + t(locale, ACTION_NEXT_KEYS[action], more=more)
        )

    async def locale_of(self, user_id: int) -> str:
        """Return the stored language of a user."""
        user = await self.svc.store.get_user(user_id)
        return user.locale if user else self.svc.settings.default_locale

    async def prepare(self, row: FollowupRow) -> Outgoing | State:
        """Build a claimed reminder, or say why it is not sent."""
        case = await self.svc.store.get_case(row.case_id)
        step = self.ladder.step(row.step)
        if case is None or step is None or case.status is CaseStatus.CLOSED:
            return State.CANCELLED
        if self.skip(step, case):
            return State.SKIPPED
        locale = await self.locale_of(row.user_id)
        return Outgoing(row.user_id, self.body(step, case, locale),
                        self.keyboard(step, row.id, locale))

    # -- answers ---------------------------------------------------------------------------
    async def apply(self, row: FollowupRow, case: CaseRow, action: Action) -> bool:
        """Store an answer and its effect on the case and on what follows; False if stale."""
        step = self.ladder.step(row.step)
        if step is None or action not in step.buttons or case.status is CaseStatus.CLOSED:
            return False
        now = self.svc.now()
        st = self.store
        earliest: float | None = None
        async with self.svc.db.transaction() as conn:
            if not await st.answer(conn, row.id, action.value, now):
                return False
            if action is Action.DONE and step.on_done == "emergency_done":
                ids = [it.id for it in items_for(self.svc.flow.emergency, case.facts())]
                await st.set_status(conn, case.id, case.status, now, emergency_done=ids)
                await st.event(conn, case.id, "emergency_done", now)
            elif action is Action.DONE:
                await st.set_status(conn, case.id, CaseStatus.ESCALATED, now)
                await st.event(conn, case.id, "escalated", now)
            elif action is Action.NOT_YET:
                earliest = self.snooze_due(now)
                await st.cancel(conn, case.id, [step.id])
                await st.schedule(conn, case.id, case.user_id, step.id, earliest, now)
            elif action in _RECORDABLE:
                earliest = await self._record(conn, case, action, now)
            elif action is Action.STOP:
                await st.cancel(conn, case.id)
                await st.resume(conn, case.id, now)
                await st.event(conn, case.id, "reminders_stopped", now)
        if earliest is not None:
            self.scheduler.arm(earliest)
        return True

    async def _record(self, conn: Tx, case: CaseRow, action: Action,
                      now: float) -> float | None:
        """Apply a claim or JD-answer fact to a case; return the earliest new reminder."""
        st = self.store
        if action is Action.CLAIM_SUBMITTED:
            if case.status in _OPEN:
                await st.set_status(conn, case.id, CaseStatus.CLAIM_SUBMITTED, now)
                await st.event(conn, case.id, "claim_submitted", now)
                return await self._fire(conn, case, Trigger.CLAIM_SUBMITTED, now)
            return None
        if action is Action.PAID_FULL:
            await st.cancel(conn, case.id)
            await st.resume(conn, case.id, now)
            await st.set_status(conn, case.id, CaseStatus.CLOSED, now)
            await st.event(conn, case.id, "jd_answered", now, outcome="paid_full")
            return None
        outcome = "paid_part" if action is Action.PAID_PART else "refused"
        await st.event(conn, case.id, "jd_answered", now, outcome=outcome)
        trigger = Trigger.JD_PAID_PART if action is Action.PAID_PART else Trigger.JD_REFUSED
        return await self._fire(conn, case, trigger, now)

    # -- from /case, without a reminder ---------------------------------------------------
    def recordable(self, case: CaseRow) -> list[Action]:
        """What /case may record for a case now: the claim, then JD's answer."""
        if case.verdict is None or case.status is CaseStatus.CLOSED:
            return []
        if self.svc.flow.verdict.plans[verdict(self.svc.flow, case.facts()).outcome].claim \
                is None:
            return []
        if case.status in _OPEN:
            return [Action.CLAIM_SUBMITTED]
        return [Action.PAID_FULL, Action.PAID_PART, Action.REFUSED]

    async def stopped(self, case: CaseRow) -> bool:
        """Tell whether the user stopped this case's reminders (and has not restarted them)."""
        if case.status is CaseStatus.CLOSED or case.verdict is None:
            return False
        kinds = [e.kind for e in await self.svc.store.events(case.id)
                 if e.kind in ("reminders_stopped", "reminders_restarted")]
        return bool(kinds) and kinds[-1] == "reminders_stopped"

    async def record(self, case: CaseRow, action: Action) -> bool:
        """Record a claim or JD's answer from /case; False if it does not apply now."""
        if action not in self.recordable(case):
            return False
        now = self.svc.now()
        async with self.svc.db.transaction() as conn:
            earliest = await self._record(conn, case, action, now)
        if earliest is not None:
            self.scheduler.arm(earliest)
        return True

    async def restart(self, case: CaseRow) -> bool:
        """Undo "stop reminders": schedule again from now what the case's stage calls for."""
        if not await self.stopped(case):
            return False
        now = self.svc.now()
        earliest: float | None = None
        async with self.svc.db.transaction() as conn:
            await self.store.event(conn, case.id, "reminders_restarted", now)
            triggers = [Trigger.PLANNED]
            if case.status in (CaseStatus.CLAIM_SUBMITTED, CaseStatus.ESCALATED):
                triggers.append(Trigger.CLAIM_SUBMITTED)
            for trigger in triggers:
                due = await self._fire(conn, case, trigger, now)
                if due is not None:
                    earliest = due if earliest is None else min(earliest, due)
        if earliest is not None:
            self.scheduler.arm(earliest)
        return True

    async def cancel_case(self, case: CaseRow) -> None:
        """Cancel every pending reminder of a case (it was closed)."""
        async with self.svc.db.transaction() as conn:
            await self.store.cancel(conn, case.id)
            await self.store.resume(conn, case.id, self.svc.now())

    async def case_actions(self, case: CaseRow, locale: str) -> list[list[tuple[str, Any]]]:
        """Rows for /case: record the claim or JD's answer; restart stopped reminders."""
        t = self.svc.t
        rows: list[list[tuple[str, Any]]] = []
        actions = self.recordable(case)
        if actions:
            buttons = [(t(locale, ACTION_KEYS[a]), FollowupRecord(case=case.id, a=a.value))
                       for a in actions]
            rows += [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
        if await self.stopped(case):
            rows.append([(t(locale, "fu-btn-restart"),
                          FollowupRecord(case=case.id, a="restart"))])
        return rows

    async def set_paused(self, case: CaseRow, paused: bool) -> None:
        """Pause or resume a case's reminders."""
        now = self.svc.now()
        async with self.svc.db.transaction() as conn:
            if paused:
                await self.store.pause(conn, case.id, Pause.USER, now)
                await self.store.event(conn, case.id, "reminders_paused", now)
            else:
                await self.store.resume(conn, case.id, now)
                await self.store.event(conn, case.id, "reminders_resumed", now)
        if not paused:
            nxt = await self.store.next_due()
            if nxt is not None:
                self.scheduler.arm(nxt)

    # -- /reminders ------------------------------------------------------------------------
    async def overview(self, cases: Sequence[CaseRow], locale: str) -> Screen:
        """List the upcoming reminders of a user's open cases with pause/resume buttons."""
        t = self.svc.t
        blocks: list[str] = []
        rows: list[list[tuple[str, Any]]] = []
        for case in cases:
            if case.status is CaseStatus.CLOSED:
                continue
            upcoming = await self.store.of_case(case.id, [State.PENDING, State.PAUSED])
            reason = await self.store.pause_reason(case.id)
            if not upcoming and reason is None:
                if await self.stopped(case):
                    # Stopped by the user: say so, and offer to undo it.
                    blocks.append(t(locale, "fu-list-case", case=case.id,
                                    status=t(locale, STATUS_KEYS[case.status]))
                                  + "\n" + t(locale, "fu-list-stopped"))
                    rows.append([(t(locale, "fu-btn-restart-case", case=case.id),
                                  FollowupRecord(case=case.id, a="restart"))])
                continue
            lines = [t(locale, "fu-list-case", case=case.id,
                       status=t(locale, STATUS_KEYS[case.status]))]
            if reason is Pause.BLOCKED:
                lines.append(t(locale, "fu-list-blocked"))
            elif reason is Pause.USER:
                lines.append(t(locale, "fu-list-paused"))
            for r in upcoming[:6]:
                step = self.ladder.step(r.step)
                if step is not None:
                    title = t(locale, step.title, police=case.answers.get("police", "unknown"))
                    lines.append(t(locale, "fu-list-item", step=title,
                                   date=self.svc.fmt_time(r.due_at)))
            blocks.append("\n".join(lines))
            if reason is None:
                rows.append([(t(locale, "fu-btn-pause", case=case.id),
                              FollowupPause(case=case.id, pause=True))])
            else:
                rows.append([(t(locale, "fu-btn-resume", case=case.id),
                              FollowupPause(case=case.id, pause=False))])
        if not blocks:
            return Screen(t(locale, "fu-list-empty"))
        return Screen(t(locale, "fu-list-title") + "\n\n" + "\n\n".join(blocks[:10]),
                      kb(rows[:10]))
