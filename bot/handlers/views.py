"""Render triage screens: text (HTML) plus inline keyboards, from the flow and the catalogue."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape, unescape
from typing import Annotated, Literal

from pydantic import Field
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.alerts.buttons import SubscribeAlerts
from bot.callbacks import Callback, register
from bot.engine.schema import AmountStep, ChoiceStep, Item, Outcome, SymptomsStep
from bot.engine.walker import Answers, VerdictResult, items_for, money_moving, skipped, verdict
from bot.evidence.buttons import EvidenceMenu
from bot.money import format_amount
from bot.services import Services
from bot.store.cases import CaseRow, CaseStatus, EventRow

MAX_TEXT = 4096
EMERGENCY_IN_FULL = 3  # emergency steps spelled out at once; the rest by their short name

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
    """Select (on) or clear symptom ``i`` of a case: a state, so a replay changes nothing."""

    prefix = "sy"
    case: CaseId
    i: Index
    on: bool


@register
class SymptomsDone(Callback):
    """Finish choosing symptoms."""

    prefix = "sd"
    case: CaseId


@register
class Tick(Callback):
    """Tick (on) or untick item ``i`` of a case's emergency (e) or evidence (v) checklist."""

    prefix = "tk"
    case: CaseId
    list: Literal["e", "v", "a"]  # a: the emergency steps an answer has just added
    i: Index
    on: bool


@register
class Back(Callback):
    """Go back from step ``step`` (by index, the step the button was sent for)."""

    prefix = "bk"
    case: CaseId
    step: Index


@register
class Edit(Callback):
    """Answer step ``step`` (symptoms or a question, by index) again."""

    prefix = "ed"
    case: CaseId
    step: Index


@register
class EditMenu(Callback):
    """Choose which answer of a case to change."""

    prefix = "em"
    case: CaseId


@register
class AmountOk(Callback):
    """Confirm that a code-shaped number typed at the amount step is the amount (yuan)."""

    prefix = "ao"
    case: CaseId
    value: Annotated[int, Field(ge=1, le=99_999_999)]


@register
class CaseAction(Callback):
    """Close a case, or delete it (asked first), from /cases or /case."""

    prefix = "ca"
    case: CaseId
    a: Literal["close", "delete", "delete_yes", "keep"]


@register
class AnonConsent(Callback):
    """Agree to storage after unstored emergency steps, keeping what was picked and ticked."""

    prefix = "xc"
    mask: Bits
    done: Bits


@register
class Part(Callback):
    """Show one part of the plan in place: now (n), evidence (v), claim (c), where to go (x),
    emergency steps (e)."""

    prefix = "pp"
    case: CaseId
    what: Literal["n", "v", "c", "x", "e"]


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
    what: Literal["n", "e", "v", "c", "x", "s"]


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
    # Instead of a keyboard: ask the client to open a reply to this message (ForceReply), with
    # this placeholder in the input field; the user's answer then arrives as a reply to it.
    reply_placeholder: str | None = None


_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """A screen's HTML as the reader sees it: tags gone, entities unescaped."""
    return unescape(_TAG.sub("", text))


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
            [(f"{mark(s.id in case.symptoms)} {self.t(s.label)}",
              Toggle(case=case.id, i=i, on=s.id not in case.symptoms))]
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
        """The numbered emergency steps, urgent header first when money may be moving.

        Only the next few steps not done yet are spelled out; the others show their short
        name (ticking one brings the next into full view), so the screen stays short.
        """
        head = self.t(self.flow.step("emergency").prompt)
        if money_moving(self.flow, facts):
            head = self.t("emergency-urgent") + "\n\n" + head
        full = [it.id for _, it in self.emergency_items(facts) if it.id not in done]
        full = full[:EMERGENCY_IN_FULL]
        lines = [
            f"{mark(item.id in done)} <b>{n}.</b> "
            + (self.t(item.text) if item.id in full else self.short(item))
            for n, (_, item) in enumerate(self.emergency_items(facts), 1)
        ]
        paragraphs: list[str] = []
        grouping = False
        for line, (_, item) in zip(lines, self.emergency_items(facts), strict=True):
            if item.id in full:
                paragraphs.append(line)
                grouping = False
            elif grouping:
                paragraphs[-1] += "\n" + line
            else:
                paragraphs.append(line)
                grouping = True
        return head + "\n\n" + "\n\n".join(paragraphs)

    def tick_row(self, case: CaseRow, i: int, item: Item, done: Sequence[str],
                 checklist: Literal["e", "v", "a"]) -> list[tuple[str, Callback]]:
        """One checklist button: pressing it sets the opposite of what it shows."""
        on = item.id not in done
        return [(f"{mark(not on)} {self.short(item)}",
                 Tick(case=case.id, list=checklist, i=i, on=on))]

    def emergency(self, case: CaseRow, *, with_proceed: bool) -> Screen:
        """The emergency checklist of a stored case, with tick buttons."""
        rows: list[list[tuple[str, Callback]]] = [
            self.tick_row(case, i, item, case.emergency_done, "e")
            for i, item in self.emergency_items(case.facts())
        ]
        if with_proceed:
            step = self.flow.step_index("emergency")
            rows.append([(self.t("btn-proceed"), Proceed(case=case.id, step=step))])
            rows.append([(self.t("btn-back"), Back(case=case.id, step=step))])
        elif case.verdict is not None:
            rows += self.plan_nav(case, "e")
        return Screen(self.emergency_text(case.facts(), case.emergency_done), kb(rows))

    def emergency_added(self, case: CaseRow, item_ids: Sequence[str]) -> Screen:
        """Emergency steps that an answer has just made necessary, with tick buttons."""
        items = [(i, it) for i, it in self.emergency_items(case.facts()) if it.id in item_ids]
        lines = [f"{mark(it.id in case.emergency_done)} {self.t(it.text)}" for _, it in items]
        rows = [self.tick_row(case, i, it, case.emergency_done, "a") for i, it in items]
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
        # Agreeing later keeps what was picked and ticked (it travels in the button).
        rows.append([(self.t("btn-consent-keep"), AnonConsent(mask=mask, done=done))])
        return Screen(self.emergency_text(facts, done_ids), kb(rows))

    def mask_to_ids(self, mask: int) -> list[str]:
        """Decode a symptom bit mask to ids."""
        return [s.id for i, s in enumerate(self.flow.symptoms) if mask >> i & 1]

    def anon_after(self) -> Screen:
        """After unstored emergency steps: what consent would add (the button is on the list)."""
        return Screen(self.t("anon-after"))

    # -- questions
    def question(self, case: CaseRow, step_id: str) -> Screen:
        """A triage question with its answer buttons, the answer given before, and Back."""
        step = self.flow.step(step_id)
        index = self.flow.step_index(step_id)
        rows: list[list[tuple[str, Callback]]]
        if isinstance(step, ChoiceStep):
            rows = [[(self.t(o.label), Answer(case=case.id, step=index, opt=o.id))]
                    for o in step.options]
        elif isinstance(step, AmountStep):
            rows = [[(self.t(step.unknown_label),
                      Answer(case=case.id, step=index, opt=UNKNOWN_AMOUNT))]]
        else:
            raise ValueError(f"step {step_id} is not a question")
        rows.append([(self.t("btn-back"), Back(case=case.id, step=index))])
        text = self.t(step.prompt)
        given = self.answer_label(case, step_id)
        if given is not None:
            text += "\n\n" + self.t("current-answer", answer=given)
        return Screen(text, kb(rows))

    def answer_label(self, case: CaseRow, step_id: str) -> str | None:
        """The answer a case holds for a question, as the user saw it (None: not answered)."""
        step = self.flow.step(step_id)
        if isinstance(step, ChoiceStep):
            chosen = case.answers.get(step.id)
            option = next((o for o in step.options if o.id == chosen), None)
            return None if option is None else self.t(option.label)
        if isinstance(step, AmountStep):
            if case.amount is not None:
                return "¥" + format_amount(case.amount)
            return self.t(step.unknown_label) if case.amount_known is False else None
        if step.kind == "symptoms":
            return ", ".join(self.t(s.label) for s in self.flow.symptoms
                             if s.id in case.symptoms) or None
        return None

    def amount_echo(self, case: CaseRow) -> Screen:
        """The amount just typed, read back, with a button to change it."""
        assert case.amount is not None
        index = self.flow.step_index(self.amount_step_id())
        return Screen(self.t("amount-echo", amount=format_amount(case.amount)),
                      kb([[(self.t("btn-change-amount"), Edit(case=case.id, step=index))]]))

    def amount_step_id(self) -> str:
        """Return the id of the flow's amount question."""
        return next(s.id for s in self.flow.steps if isinstance(s, AmountStep))

    def amount_confirm(self, case: CaseRow, value: int) -> Screen:
        """A number shaped like an SMS code: is it really the amount?"""
        index = self.flow.step_index(self.amount_step_id())
        return Screen(self.t("amount-code-confirm", amount=format_amount(Decimal(value))), kb([
            [(self.t("btn-amount-yes", amount=format_amount(Decimal(value))),
              AmountOk(case=case.id, value=value))],
            [(self.t("btn-amount-retype"), Edit(case=case.id, step=index))],
        ]))

    def edit_menu(self, case: CaseRow) -> Screen:
        """Which answer to change: what was seen and every question that applies."""
        rows: list[list[tuple[str, Callback]]] = []
        facts = case.facts()
        for index, step in enumerate(self.flow.steps):
            if not isinstance(step, SymptomsStep | ChoiceStep | AmountStep):
                continue
            if isinstance(step, ChoiceStep | AmountStep) and skipped(step, facts):
                continue
            given = self.answer_label(case, step.id) or self.t("answer-none")
            label = f"✏️ {self.t(step.title)}: {given}"
            rows.append([(label[:60], Edit(case=case.id, step=index))])
        if case.verdict is not None:
            rows.append([(self.t("btn-back-to-plan"), Part(case=case.id, what="n"))])
        return Screen(self.t("edit-menu", case=case.id), kb(rows))

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

    def plan_now(self, case: CaseRow) -> Screen:
        """The plan's first page: what to do now; the other parts open in place from buttons."""
        return Screen(self.lead(case) + "\n\n" + self.t("plan-footer", case=case.id),
                      kb(self.plan_nav(case, "n")))

    def plan_nav(self, case: CaseRow, here: str) -> list[list[tuple[str, Callback]]]:
        """Buttons between the parts of the plan (each edits the same message)."""
        parts: list[tuple[str, str]] = [("v", "btn-show-evidence")]
        if self.claim_guide_id(case) is not None:
            parts.append(("c", "btn-show-claim"))
        if items_for(self.flow.escalation, case.facts()):
            parts.append(("x", "btn-show-escalation"))
        parts.append(("e", "btn-show-emergency"))
        buttons: list[tuple[str, Callback]] = [
            (self.t(key), Part(case=case.id, what=what))
            for what, key in parts if what != here
        ]
        rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
        last: list[tuple[str, Callback]] = [(self.t("btn-edit-answers"), EditMenu(case=case.id))]
        if here != "n":
            last.insert(0, (self.t("btn-back-to-plan"), Part(case=case.id, what="n")))
        else:
            last.append((self.t("btn-alerts-subscribe"), SubscribeAlerts()))
        rows.append(last)
        return rows

    def part(self, case: CaseRow, what: str) -> Screen:
        """One part of the plan, with the buttons to the others."""
        if what == "e":
            return self.emergency(case, with_proceed=False)
        if what == "v":
            return self.evidence(case)
        if what == "n":
            return self.plan_now(case)
        body = self.claim(case) if what == "c" else self.escalation(case)
        return Screen(body.text, kb(self.plan_nav(case, what)))

    def evidence_items(self, case: CaseRow) -> list[tuple[int, Item]]:
        """Return (global index, item) of the evidence items that apply to a case."""
        applicable = {it.id for it in items_for(self.flow.evidence, case.facts())}
        return [(i, it) for i, it in enumerate(self.flow.evidence) if it.id in applicable]

    def evidence(self, case: CaseRow) -> Screen:
        """The evidence checklist of a case with tick buttons and the plan's other parts."""
        items = self.evidence_items(case)
        lines = [
            f"{mark(item.id in case.evidence_done)} <b>{n}.</b> {self.t(item.text)}"
            for n, (_, item) in enumerate(items, 1)
        ]
        rows = [self.tick_row(case, i, item, case.evidence_done, "v") for i, item in items]
        text = self.t("evidence-intro") + "\n\n" + "\n".join(lines) + "\n\n" + self.t(
            "evidence-never"
        )
        # Open the claim pack: upload evidence for these items (bot/evidence).
        upload: list[tuple[str, Callback]] = [(self.t("ev-btn-upload"),
                                                EvidenceMenu(case=case.id))]
        return Screen(text, kb([*rows, upload, *self.plan_nav(case, "v")]))

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

    # -- case overview
    def case_buttons(self, case: CaseRow,
                     extra: Sequence[Sequence[tuple[str, Callback]]] = ()) -> InlineKeyboardMarkup:
        """Buttons that continue a case or reopen its plan, then features' rows, then close."""
        rows: list[list[tuple[str, Callback]]] = []
        if case.step is not None and case.status is not CaseStatus.CLOSED:
            rows.append([(self.t("btn-resume"), Resume(case=case.id))])
        if case.verdict is not None:
            rows.append([(self.t("btn-show-plan"), Show(case=case.id, what="n")),
                         (self.t("btn-edit-answers"), EditMenu(case=case.id))])
        elif case.symptoms:
            rows.append([(self.t("btn-show-emergency"), Show(case=case.id, what="e"))])
        rows += [list(row) for row in extra]
        if case.status is not CaseStatus.CLOSED:
            rows.append([(self.t("btn-close-case"), CaseAction(case=case.id, a="close")),
                         (self.t("btn-delete-case"), CaseAction(case=case.id, a="delete"))])
        else:
            rows.append([(self.t("btn-delete-case"), CaseAction(case=case.id, a="delete"))])
        return kb(rows)

    def case_summary(self, case: CaseRow, events: Sequence[EventRow],
                     extra: Sequence[Sequence[tuple[str, Callback]]] = ()) -> Screen:
        """The case at a glance: one status, progress, verdict and history."""
        emergency = self.emergency_items(case.facts())
        e_done = sum(1 for _, it in emergency if it.id in case.emergency_done)
        head = [
            self.t("case-title", case=case.id, status=self.status_name(case)),
            self.t("case-opened", date=self.svc.fmt_time(case.created_at)),
        ]
        parts: list[str] = []
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
            f"• {self.svc.fmt_time(e.at)} {self.t(EVENT_KEYS[e.kind], **self.event_vars(e))}"
            for e in events if e.kind in EVENT_KEYS
        ]
        if history:
            parts.append(self.t("case-history") + "\n" + "\n".join(history[-12:]))
        if case.verdict is not None:
            parts.append(self.t("verdict-disclaimer"))
        text = "\n".join(head) + "\n\n" + "\n\n".join(parts)
        return Screen(text, self.case_buttons(case, extra))

    def status_name(self, case: CaseRow) -> str:
        """One status for a case: where the triage stands while open, else its stage."""
        if case.status is CaseStatus.TRIAGE or (
            case.step is not None and case.status is not CaseStatus.CLOSED
        ):
            return self.t("status-at-step", step=self.step_name(case))
        return self.t(STATUS_KEYS[case.status])

    def event_vars(self, event: EventRow) -> dict[str, str | int]:
        """Variables of a history line; a changed answer names its question."""
        variables = _event_vars(event)
        step_id = event.data.get("step")
        if event.kind == "changed" and isinstance(step_id, str):
            try:
                step = self.flow.step(step_id)
            except KeyError:
                return variables
            title = getattr(step, "title", None)
            if title is not None:
                variables["what"] = self.t(title)
        return variables


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
    "changed": "event-changed",
    "claim_submitted": "event-claim-submitted",
    "jd_answered": "event-jd-answered",
    "escalated": "event-escalated",
    "reminders_stopped": "event-reminders-stopped",
    "reminders_paused": "event-reminders-paused",
    "reminders_resumed": "event-reminders-resumed",
    "reminders_restarted": "event-reminders-restarted",
}


def _event_vars(event: EventRow) -> dict[str, str | int]:
    return {k: v for k, v in event.data.items() if isinstance(v, str | int)}
