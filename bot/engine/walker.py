"""Evaluate the flow against one case: conditions, checklists, the verdict and the next step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from bot.engine.schema import Condition, Flow, Item, Outcome, Step


@dataclass(frozen=True)
class Answers:
    """What is known of a case so far."""

    symptoms: frozenset[str] = frozenset()
    choices: Mapping[str, str] = field(default_factory=dict)
    amount: Decimal | None = None
    amount_known: bool | None = None


def holds(cond: Condition, answers: Answers) -> bool:
    """Tell whether a condition holds for the answers."""
    if cond.symptoms_any and not answers.symptoms & set(cond.symptoms_any):
        return False
    if not answers.symptoms >= set(cond.symptoms_all):
        return False
    if cond.symptoms_only and (
        not answers.symptoms or not answers.symptoms <= set(cond.symptoms_only)
    ):
        return False
    for step_id, options in cond.answers.items():
        if answers.choices.get(step_id) not in options:
            return False
    if cond.amount_at_least is not None and (
        answers.amount is None or answers.amount < cond.amount_at_least
    ):
        return False
    if cond.amount_known is not None and answers.amount_known != cond.amount_known:
        return False
    return not cond.any_of or any(holds(sub, answers) for sub in cond.any_of)


ItemT = TypeVar("ItemT", bound=Item)


def items_for(items: Iterable[ItemT], answers: Answers) -> list[ItemT]:
    """Return the checklist items that apply, in flow order."""
    return [item for item in items if holds(item.when, answers)]


@dataclass(frozen=True)
class VerdictResult:
    """The outcome, the message keys of the reasons and routes shown with it, and the rules."""

    outcome: Outcome
    reasons: tuple[str, ...]
    rule_ids: tuple[str, ...]
    routes: tuple[str, ...] = ()


def verdict(flow: Flow, answers: Answers) -> VerdictResult:
    """Derive the verdict: the last outcome in precedence among matching rules.

    Only reasons that agree with the final outcome are shown: a rule's own outcome or one it
    names in ``also_with``. ``rule_ids`` lists every rule that matched (for the case history).
    """
    matched = [rule for rule in flow.verdict.rules if holds(rule.when, answers)]
    if not matched:
        return VerdictResult(flow.verdict.default, (flow.verdict.default_reason,), ())
    final = max((rule.outcome for rule in matched), key=lambda o: o.severity)
    # Reasons for the final outcome come first, supporting ones after.
    ordered = sorted(matched, key=lambda r: -r.outcome.severity)
    shown = [r for r in ordered if r.outcome is final or final in r.also_with]
    return VerdictResult(
        final,
        tuple(dict.fromkeys(r.reason for r in shown)),
        tuple(r.id for r in ordered),
        tuple(dict.fromkeys(r.route for r in shown if r.route is not None)),
    )


def skipped(step: Step, answers: Answers) -> bool:
    """Tell whether a question does not apply to a case (e.g. no amount when nothing is lost)."""
    skip_when = getattr(step, "skip_when", None)
    return skip_when is not None and holds(skip_when, answers)


def next_step(flow: Flow, step_id: str, answers: Answers | None = None) -> Step | None:
    """Return the step after ``step_id`` (None after the verdict), past questions that the
    answers make pointless."""
    nxt = getattr(flow.step(step_id), "next", None)
    while nxt is not None:
        step = flow.step(nxt)
        if answers is None or not skipped(step, answers):
            return step
        nxt = getattr(step, "next", None)
    return None


def money_moving(flow: Flow, answers: Answers) -> bool:
    """Tell whether a chosen symptom means money may still be leaving (110 is urgent)."""
    return any(s.money_moving and s.id in answers.symptoms for s in flow.symptoms)
