"""Render triage screens: text (HTML) plus inline keyboards, from the flow and the catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Annotated, Literal

from pydantic import Field
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.alerts.buttons import SubscribeAlerts
from bot.callbacks import Callback, register
from bot.engine.schema import AmountStep, ChoiceStep, Item, Outcome
from bot.engine.walker import Answers, VerdictResult, items_for, money_moving, verdict
from bot.evidence.buttons import EvidenceMenu
from bot.money import format_amount
from bot.services import Services
from bot.store.cases import CaseRow, CaseStatus, EventRow

MAX_TEXT = 4096

# ---- callback data ---------------------------------------------------------------------------

# Bounded so forged data fails to parse (an id past SQLite's INTEGER range would raise there).
CaseId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Index = Annotated[int, Field(ge=0, le=63)]
Bits = Annotated[int, Field(ge=0, lt=2**32)]


@register
class Consent(Callback):
    """Agree to storage (yes) or get emergency steps without storing anything (no)."""

    prefix = "cs"
    yes: bool


@register
class SetLang(Callback):
    """Choose the interface language."""

    prefix = "lg"
    locale: Literal["zh-CN", "en"]


@register
class Toggle(Callback):
    """Toggle symptom ``i`` of a case."""

    prefix = "sy"
    case: CaseId
    i: Index


@register
class SymptomsDone(Callback):
    """Finish choosing symptoms."""

    prefix = "sd"
    case: CaseId


@register
class Tick(Callback):
    """Tick or untick item ``i`` of a case's emergency (e) or evidence (v) checklist."""

    prefix = "tk"
    case: CaseId
    list: Literal["e", "v"]
    i: Index


@register
class Proceed(Callback):
    """Leave step ``step`` (by index) for the next one."""

    prefix = "go"
    case: CaseId
    step: Index


# An option id, or "-" for "not sure" on an amount. Ids, not positions: a keyboard sent before
# the options were reordered must not pick a different answer.
OptionRef = Annotated[str, Field(pattern=r"^([a-z][a-z0-9_]{0,23}|-)$")]
UNKNOWN_AMOUNT = "-"


@register
class Answer(Callback):
    """Answer option ``opt`` (its id) of question ``step`` (by index)."""

    prefix = "an"
    case: CaseId
    step: Index
    opt: OptionRef


@register
class AnonToggle(Callback):
    """Toggle a symptom without storing anything: the selection travels in ``mask``."""

    prefix = "xs"
    mask: Bits
    i: Index


@register
class AnonDone(Callback):
    """Finish an unstored symptom selection."""

    prefix = "xd"
    mask: Bits


@register
class AnonTick(Callback):
    """Tick an emergency step without storing anything: ticks travel in ``done``."""

    prefix = "xt"
    mask: Bits
    done: Bits
    i: Index


@register
class Resume(Callback):
    """Continue a case at its current step."""

    prefix = "rs"
    case: CaseId


@register
class NewCase(Callback):
    """Open another case."""

    prefix = "nc"


@register
class Show(Callback):
    """Show part of a case's plan: emergency, evidence, claim guide, escalation, summary."""

    prefix = "sh"
    case: CaseId
    what: Literal["e", "v", "c", "x", "s"]


@register
class ConfirmDelete(Callback):
    """Confirm or abort deleting all of the user's data."""

    prefix = "dl"
    yes: bool


# ---- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """A message to send: HTML text and an optional keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def kb(rows: Sequence[Sequence[tuple[str, Callback]]]) -> InlineKeyboardMarkup:
    """Build an inline keyboard from (label, callback) rows."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(label, callback_data=cb.pack()) for label, cb in row]
        for row in rows
    ])


def mark(done: bool) -> str:
    """Return the tick mark used on checklist buttons."""
    return "✅" if done else "▫️"


class Views:
    """Screens of the triage, in one locale."""

    def __init__(self, svc: Services, locale: str) -> None:
        self.svc = svc
        self.locale = locale
        self.flow = svc.flow

    def t(self, key: str, **variables: str | int) -> str:
        """Format a message in this view's locale."""
        return self.svc.t(self.locale, key, **variables)

    def short(self, item: Item) -> str:
        """Return the short button label of a checklist item."""
        return self.t(item.text + "-short")

    # -- welcome and consent
    def welcome(self) -> Screen:
        """Welcome, what the bot does, the privacy notice and the consent buttons."""
        return Screen(
            self.t("welcome") + "\n\n" + self.t("privacy-short"),
            kb([
                [(self.t("btn-consent-yes"), Consent(yes=True))],
                [(self.t("btn-consent-no"), Consent(yes=False))],
            ]),
        )

    def resume_offer(self, case: CaseRow) -> Screen:
        """Offer to continue an open case or start another."""
        return Screen(
            self.t("resume-offer", case=case.id, step=self.step_name(case)),
            kb([
                [(self.t("btn-resume"), Resume(case=case.id))],
                [(self.t("btn-new-case"), NewCase())],
            ]),
        )

    def step_name(self, case: CaseRow) -> str:
        """Name the step a case stands at."""
        if case.step is None:
            return self.t("step-plan-ready")
        return self.t(STEP_NAME_KEYS[self.flow.step(case.step).kind])

    # -- symptoms
    def symptom_labels(self, chosen: Sequence[str]) -> str:
        """List chosen symptoms, one per line."""
        labels = [self.t(s.label) for s in self.flow.symptoms if s.id in chosen]
        return "\n".join(f"• {label}" for label in labels)

    def symptoms(self, case: CaseRow) -> Screen:
        """The symptom multi-select for a stored case."""
        step = self.flow.step(self.flow.start)
        rows: list[list[tuple[str, Callback]]] = [
            [(f"{mark(s.id in case.symptoms)} {self.t(s.label)}", Toggle(case=case.id, i=i))]
            for i, s in enumerate(self.flow.symptoms)
        ]
        rows.append([(self.t("btn-done"), SymptomsDone(case=case.id))])
        return Screen(self.t(step.prompt), kb(rows))

    def anon_symptoms(self, mask: int) -> Screen:
        """The symptom multi-select without storage (state in the buttons)."""
        step = self.flow.step(self.flow.start)
        rows: list[list[tuple[str, Callback]]] = [
            [(f"{mark(bool(mask >> i & 1))} {self.t(s.label)}", AnonToggle(mask=mask, i=i))]
            for i, s in enumerate(self.flow.symptoms)
        ]
        rows.append([(self.t("btn-done"), AnonDone(mask=mask))])
        return Screen(self.t(step.prompt) + "\n\n" + self.t("anon-note"), kb(rows))

    def symptoms_chosen(self, chosen: Sequence[str]) -> Screen:
        """The symptom message once closed: what was chosen, no buttons."""
        return Screen(self.t("symptoms-chosen") + "\n" + self.symptom_labels(chosen))

    # -- emergency
    def emergency_items(self, facts: Answers) -> list[tuple[int, Item]]:
        """Return (global index, item) of the emergency steps that apply to what is known."""
        applicable = {item.id for item in items_for(self.flow.emergency, facts)}
        return [(i, it) for i, it in enumerate(self.flow.emergency) if it.id in applicable]

    def emergency_text(self, facts: Answers, done: Sequence[str]) -> str:
        """The numbered emergency steps, urgent header first when money may be moving."""
        head = self.t(self.flow.step("emergency").prompt)
        if money_moving(self.flow, facts):
            head = self.t("emergency-urgent") + "\n\n" + head
        lines = [
            f"{mark(item.id in done)} <b>{n}.</b> {self.t(item.text)}"
            for n, (_, item) in enumerate(self.emergency_items(facts), 1)
        ]
        return head + "\n\n" + "\n\n".join(lines)

    def emergency(self, case: CaseRow, *, with_proceed: bool) -> Screen:
        """The emergency checklist of a stored case, with tick buttons."""
        rows: list[list[tuple[str, Callback]]] = [
            [(f"{mark(item.id in case.emergency_done)} {self.short(item)}",
              Tick(case=case.id, list="e", i=i))]
            for i, item in self.emergency_items(case.facts())
        ]
        if with_proceed:
            step = self.flow.step_index("emergency")
            rows.append([(self.t("btn-proceed"), Proceed(case=case.id, step=step))])
        return Screen(self.emergency_text(case.facts(), case.emergency_done), kb(rows))

    def emergency_added(self, case: CaseRow, item_ids: Sequence[str]) -> Screen:
        """Emergency steps that an answer has just made necessary, with tick buttons."""
        items = [(i, it) for i, it in self.emergency_items(case.facts()) if it.id in item_ids]
        lines = [f"{mark(it.id in case.emergency_done)} {self.t(it.text)}" for _, it in items]
        rows: list[list[tuple[str, Callback]]] = [
            [(f"{mark(it.id in case.emergency_done)} {self.short(it)}",
              Tick(case=case.id, list="e", i=i))]
            for i, it in items
        ]
        return Screen(self.t("emergency-added") + "\n\n" + "\n\n".join(lines), kb(rows))

    def anon_emergency(self, mask: int, done: int) -> Screen:
        """The emergency checklist without storage (ticks in the buttons)."""
        facts = Answers(symptoms=frozenset(self.mask_to_ids(mask)))
        items = self.emergency_items(facts)
        done_ids = [it.id for i, it in items if done >> i & 1]
        rows: list[list[tuple[str, Callback]]] = [
            [(f"{mark(bool(done >> i & 1))} {self.short(item)}",
              AnonTick(mask=mask, done=done, i=i))]
            for i, item in items
        ]
        return Screen(self.emergency_text(facts, done_ids), kb(rows))

    def mask_to_ids(self, mask: int) -> list[str]:
        """Decode a symptom bit mask to ids."""
        return [s.id for i, s in enumerate(self.flow.symptoms) if mask >> i & 1]

    def anon_after(self) -> Screen:
        """After unstored emergency steps: what consent would add."""
        return Screen(
            self.t("anon-after"),
            kb([[(self.t("btn-consent-yes"), Consent(yes=True))]]),
        )

    # -- questions
    def question(self, case: CaseRow, step_id: str) -> Screen:
        """A triage question with its answer buttons."""
        step = self.flow.step(step_id)
        index = self.flow.step_index(step_id)
        if isinstance(step, ChoiceStep):
            rows: list[list[tuple[str, Callback]]] = [
                [(self.t(o.label), Answer(case=case.id, step=index, opt=o.id))]
                for o in step.options
            ]
            return Screen(self.t(step.prompt), kb(rows))
        if isinstance(step, AmountStep):
            return Screen(
                self.t(step.prompt),
                kb([[(self.t(step.unknown_label),
                      Answer(case=case.id, step=index, opt=UNKNOWN_AMOUNT))]]),
            )
        raise ValueError(f"step {step_id} is not a question")

    def answered(self, step_id: str, answer_label: str) -> Screen:
        """A question once answered: the question and the answer, no buttons."""
        step = self.flow.step(step_id)
        return Screen(f"{self.t(step.prompt)}\n\n✅ <b>{escape(answer_label)}</b>")

    # -- the plan
    def result(self, case: CaseRow) -> VerdictResult:
        """The verdict for a case's answers as they stand."""
        return verdict(self.flow, case.facts())

    def verdict(self, case: CaseRow) -> Screen:
        """The verdict with its reasons, honest that nothing is promised, and the scam shield."""
        result = self.result(case)
        reasons = "\n".join(f"• {self.t(r)}" for r in result.reasons)
        parts = [
            self.t(self.flow.step("verdict").prompt, case=case.id),
            f"<b>{self.t(self.flow.verdict.labels[result.outcome])}</b>",
            reasons,
        ]
        if result.outcome is not Outcome.NO_LOSS:
            parts.append(
                self.t("verdict-amount", amount=format_amount(case.amount))
                if case.amount is not None else self.t("verdict-amount-unknown")
            )
        parts += [self.t("verdict-disclaimer"), self.t("shield-recovery")]
        return Screen("\n\n".join(parts))

    def lead(self, case: CaseRow) -> str:
        """What the plan leads with: emergency steps the answers made necessary and not yet
        ticked (stop the fraudster), the outcome's next step, what the causes mean."""
        result = self.result(case)
        parts: list[str] = []
        first_screen = {it.id for _, it in self.emergency_items(
            Answers(symptoms=frozenset(case.symptoms)))}
        urgent = [it for _, it in self.emergency_items(case.facts())
                  if it.id not in first_screen and it.id not in case.emergency_done]
        if urgent:
            parts.append(self.t("emergency-added") + "\n"
                         + "\n".join(f"{mark(False)} {self.t(it.text)}" for it in urgent))
        parts.append(self.t(self.flow.verdict.plans[result.outcome].lead))
        parts += [self.t(route) for route in result.routes]
        return "\n\n".join(parts)

    def evidence_items(self, case: CaseRow) -> list[tuple[int, Item]]:
        """Return (global index, item) of the evidence items that apply to a case."""
        applicable = {it.id for it in items_for(self.flow.evidence, case.facts())}
        return [(i, it) for i, it in enumerate(self.flow.evidence) if it.id in applicable]

    def evidence(self, case: CaseRow, *, lead: bool = False) -> Screen:
        """The evidence checklist of a case with tick buttons (after the plan's lead if asked)."""
        items = self.evidence_items(case)
        lines = [
            f"{mark(item.id in case.evidence_done)} <b>{n}.</b> {self.t(item.text)}"
            for n, (_, item) in enumerate(items, 1)
        ]
        rows: list[list[tuple[str, Callback]]] = [
            [(f"{mark(item.id in case.evidence_done)} {self.short(item)}",
              Tick(case=case.id, list="v", i=i))]
            for i, item in items
        ]
        text = self.t("evidence-intro") + "\n\n" + "\n".join(lines) + "\n\n" + self.t(
            "evidence-never"
        )
        if lead:
            text = self.lead(case) + "\n\n" + text
        # Open the claim pack: upload evidence for these items (bot/evidence).
        upload: list[tuple[str, Callback]] = [(self.t("ev-btn-upload"),
                                                EvidenceMenu(case=case.id))]
        return Screen(text, kb([*rows, upload]))

    def claim_guide_id(self, case: CaseRow) -> str | None:
        """Name the claim guide this case's outcome gets (None: no claim, e.g. nothing lost)."""
        return self.flow.verdict.plans[self.result(case).outcome].claim

    def claim(self, case: CaseRow) -> Screen:
        """The guide for this outcome: the in-app claim, or telling JD without a claim."""
        guide_id = self.claim_guide_id(case)
        if guide_id is None:
            return Screen(self.lead(case))
        guide = self.flow.claim[guide_id]
        steps = [f"<b>{n}.</b> {self.t(key)}" for n, key in enumerate(guide.steps, 1)]
        parts = [self.t(guide.intro) + "\n\n" + "\n".join(steps)]
        parts += [self.t(note) for note in guide.notes]
        return Screen("\n\n".join(parts))

    def escalation(self, case: CaseRow) -> Screen:
        """Where to go now (police, scam reports) and if JD refuses or stays silent."""
        items = items_for(self.flow.escalation, case.facts())
        parts: list[str] = []
        for phase, intro in ESCALATION_PHASE_KEYS.items():
            lines = [f"• {self.t(it.text)}" for it in items if it.phase == phase]
            if lines:
                parts.append(self.t(intro) + "\n" + "\n".join(lines))
        if any(it.phase == "later" for it in items):
            parts.append(self.t("shield-recovery"))
        return Screen("\n\n".join(parts) if parts else self.t("escalate-none"))

    def plan_footer(self, case: CaseRow) -> Screen:
        """What to do next, with buttons to reopen each part of the plan and to get alerts."""
        keyboard = self.case_buttons(case)
        subscribe = kb([[(self.t("btn-alerts-subscribe"), SubscribeAlerts())]])
        return Screen(self.t("plan-footer", case=case.id),
                      InlineKeyboardMarkup([*keyboard.inline_keyboard,
                                            *subscribe.inline_keyboard]))

    def guide(self, case: CaseRow) -> Screen:
        """Claim guide, escalation and what next in one message (the plan arrives as three)."""
        footer = self.plan_footer(case)
        parts = [footer.text]
        if items_for(self.flow.escalation, case.facts()):
            parts.insert(0, self.escalation(case).text)
        if self.claim_guide_id(case) is not None:
            parts.insert(0, self.claim(case).text)
        return Screen("\n\n".join(p for p in parts if p), footer.keyboard)

    def case_buttons(self, case: CaseRow) -> InlineKeyboardMarkup:
        """Buttons that reopen the parts of a case."""
        rows: list[list[tuple[str, Callback]]] = []
        if case.step is not None:
            rows.append([(self.t("btn-resume"), Resume(case=case.id))])
        rows.append([(self.t("btn-show-emergency"), Show(case=case.id, what="e"))])
        if case.verdict is not None:
            plan: list[tuple[str, Callback]] = [
                (self.t("btn-show-evidence"), Show(case=case.id, what="v"))
            ]
            if self.claim_guide_id(case) is not None:
                plan.append((self.t("btn-show-claim"), Show(case=case.id, what="c")))
            rows.append(plan)
            if items_for(self.flow.escalation, case.facts()):
                rows.append([(self.t("btn-show-escalation"), Show(case=case.id, what="x"))])
        return kb(rows)

    # -- case overview
    def case_summary(self, case: CaseRow, events: Sequence[EventRow]) -> Screen:
        """The case at a glance: status, progress, verdict and history."""
        emergency = self.emergency_items(case.facts())
        e_done = sum(1 for _, it in emergency if it.id in case.emergency_done)
        parts = [
            self.t("case-title", case=case.id, status=self.t(STATUS_KEYS[case.status])),
            self.t("case-opened", date=self.svc.fmt_time(case.created_at)),
            self.t("case-step", step=self.step_name(case)),
        ]
        if case.symptoms:
            parts.append(self.t("case-symptoms") + "\n" + self.symptom_labels(case.symptoms))
            parts.append(self.t("case-emergency-progress", done=e_done, total=len(emergency)))
        if case.verdict is not None:
            evidence = self.evidence_items(case)
            v_done = sum(1 for _, it in evidence if it.id in case.evidence_done)
            parts.append(self.t("case-evidence-progress", done=v_done, total=len(evidence)))
            parts.append(
                self.t(
                    "case-verdict",
                    verdict=self.t(self.flow.verdict.labels[self.result(case).outcome]),
                )
            )
        if case.amount is not None:
            parts.append(self.t("verdict-amount", amount=format_amount(case.amount)))
        history = [
            f"• {self.svc.fmt_time(e.at)} {self.t(EVENT_KEYS[e.kind], **_event_vars(e))}"
            for e in events if e.kind in EVENT_KEYS
        ]
        if history:
            parts.append(self.t("case-history") + "\n" + "\n".join(history[-15:]))
        if case.verdict is not None:
            parts.append(self.t("verdict-disclaimer"))
        text = "\n".join(parts[:3]) + "\n\n" + "\n\n".join(parts[3:])
        return Screen(text, self.case_buttons(case))


# Escalation channels by time: report the crime now; complain if JD refuses or stays silent.
ESCALATION_PHASE_KEYS: dict[str, str] = {
    "now": "escalate-intro-now",
    "later": "escalate-intro-later",
}

STATUS_KEYS: dict[CaseStatus, str] = {
    CaseStatus.TRIAGE: "status-triage",
    CaseStatus.PLANNED: "status-planned",
    CaseStatus.CLAIM_SUBMITTED: "status-claim-submitted",
    CaseStatus.ESCALATED: "status-escalated",
    CaseStatus.CLOSED: "status-closed",
}

STEP_NAME_KEYS: dict[str, str] = {
    "symptoms": "step-name-symptoms",
    "emergency": "step-name-emergency",
    "choice": "step-name-choice",
    "amount": "step-name-amount",
    "verdict": "step-name-verdict",
}

# History lines shown in /case: event kind -> message key. Features add their own kinds.
EVENT_KEYS: dict[str, str] = {
    "opened": "event-opened",
    "symptoms": "event-symptoms",
    "verdict": "event-verdict",
    "emergency_done": "event-emergency-done",
    "closed": "event-closed",
    "claim_submitted": "event-claim-submitted",
    "jd_answered": "event-jd-answered",
    "escalated": "event-escalated",
    "reminders_stopped": "event-reminders-stopped",
    "reminders_paused": "event-reminders-paused",
    "reminders_resumed": "event-reminders-resumed",
}


def _event_vars(event: EventRow) -> dict[str, str | int]:
    return {k: v for k, v in event.data.items() if isinstance(v, str | int)}
