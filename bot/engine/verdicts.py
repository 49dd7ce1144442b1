"""Walk every way through the triage: each symptom set with each answer path the flow allows.

Used by ``python -m bot flows verdicts`` (outcome counts) and the verdict table test.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from bot.engine.schema import AmountStep, ChoiceStep, Condition, Flow, Outcome
from bot.engine.walker import Answers, VerdictResult, skipped, verdict


@dataclass(frozen=True)
class Path:
    """One complete triage: the answers and the questions that were skipped."""

    answers: Answers
    skipped: frozenset[str]


def amount_values(flow: Flow) -> list[Decimal | None]:
    """Amounts worth trying: unknown, a small one, and each threshold the flow uses and below."""
    values: list[Decimal | None] = [None, Decimal("300")]
    for cond in _conditions(flow):
        for sub in cond.walk():
            if sub.amount_at_least is not None:
                values += [sub.amount_at_least, sub.amount_at_least - Decimal("0.01")]
    return list(dict.fromkeys(values))


def _conditions(flow: Flow) -> Iterator[Condition]:
    for item in (*flow.emergency, *flow.evidence, *flow.escalation):
        yield item.when
    for rule in flow.verdict.rules:
        yield rule.when
    for step in flow.steps:
        skip_when = getattr(step, "skip_when", None)
        if skip_when is not None:
            yield skip_when


def paths(flow: Flow) -> Iterator[Path]:
    """Yield every complete triage the flow allows (skipped questions are not answered)."""
    ids = flow.symptom_ids()
    amounts = amount_values(flow)
    questions = [s for s in flow.steps if isinstance(s, ChoiceStep | AmountStep)]
    for size in range(1, len(ids) + 1):
        for chosen in itertools.combinations(ids, size):
            yield from _answer(questions, 0, Answers(symptoms=frozenset(chosen)), amounts, ())


def _answer(questions: list[ChoiceStep | AmountStep], i: int, answers: Answers,
            amounts: list[Decimal | None], skips: tuple[str, ...]) -> Iterator[Path]:
    if i == len(questions):
        yield Path(answers, frozenset(skips))
        return
    step = questions[i]
    if skipped(step, answers):
        yield from _answer(questions, i + 1, answers, amounts, (*skips, step.id))
        return
    if isinstance(step, ChoiceStep):
        for option in step.options:
            nxt = Answers(answers.symptoms, {**answers.choices, step.id: option.id},
                          answers.amount, answers.amount_known)
            yield from _answer(questions, i + 1, nxt, amounts, skips)
    else:
        for amount in amounts:
            nxt = Answers(answers.symptoms, answers.choices, amount, amount is not None)
            yield from _answer(questions, i + 1, nxt, amounts, skips)


def outcome_counts(flow: Flow) -> tuple[Counter[Outcome], int]:
    """Count the complete triages that end in each outcome."""
    counts: Counter[Outcome] = Counter()
    total = 0
    for path in paths(flow):
        counts[verdict(flow, path.answers).outcome] += 1
        total += 1
    return counts, total


def results(flow: Flow) -> Iterator[tuple[Path, VerdictResult]]:
    """Yield each complete triage with its verdict."""
    for path in paths(flow):
        yield path, verdict(flow, path.answers)
