"""Evaluate the flow against one case: conditions, checklists, the verdict and the next step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

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
    return cond.amount_known is None or answers.amount_known == cond.amount_known


def items_for(items: Iterable[Item], answers: Answers) -> list[Item]:
    """Return the checklist items that apply, in flow order."""
    return [item for item in items if holds(item.when, answers)]


@dataclass(frozen=True)
class VerdictResult:
    """The outcome and the message keys of the reasons behind it."""

    outcome: Outcome
    reasons: tuple[str, ...]
    rule_ids: tuple[str, ...]


def verdict(flow: Flow, answers: Answers) -> VerdictResult:
    """Derive the verdict: the worst outcome among matching rules, else the default."""
    matched = [rule for rule in flow.verdict.rules if holds(rule.when, answers)]
    if not matched:
        return VerdictResult(flow.verdict.default, (flow.verdict.default_reason,), ())
    worst = max((rule.outcome for rule in matched), key=lambda o: o.severity)
    worst = max(worst, flow.verdict.default, key=lambda o: o.severity)
    # Reasons for the final outcome come first, supporting ones after.
    ordered = sorted(matched, key=lambda r: -r.outcome.severity)
    return VerdictResult(
        worst, tuple(r.reason for r in ordered), tuple(r.id for r in ordered)
    )


def next_step(flow: Flow, step_id: str) -> Step | None:
    """Return the step after ``step_id`` (None after the verdict)."""
    nxt = getattr(flow.step(step_id), "next", None)
    return None if nxt is None else flow.step(nxt)


def money_moving(flow: Flow, answers: Answers) -> bool:
    """Tell whether a chosen symptom means money may still be leaving (110 is urgent)."""
    return any(s.money_moving and s.id in answers.symptoms for s in flow.symptoms)
