"""Load flows/triage.yaml and check it against itself and the catalogues."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.engine.schema import AmountStep, ChoiceStep, Condition, Flow, Outcome, VerdictStep
from bot.engine.walker import Answers, items_for
from bot.i18n import Translator

FLOWS_DIR = Path(__file__).resolve().parent.parent.parent / "flows"
TRIAGE_FILE = FLOWS_DIR / "triage.yaml"


class FlowError(Exception):
    """A flow file that must not be used; the message lists every problem found."""


def _dupes(ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    dupes: set[str] = set()
    for i in ids:
        (dupes if i in seen else seen).add(i)
    return dupes


def check_flow(flow: Flow, translator: Translator | None = None) -> list[str]:
    """Return every consistency problem of a parsed flow (empty when it is sound)."""
    problems: list[str] = []
    symptom_ids = set(flow.symptom_ids())
    step_ids = [s.id for s in flow.steps]
    choices = {s.id: {o.id for o in s.options} for s in flow.steps if isinstance(s, ChoiceStep)}
    amount_steps = [s for s in flow.steps if isinstance(s, AmountStep)]

    for label, ids in (
        ("symptom", flow.symptom_ids()),
        ("step", step_ids),
        ("emergency item", [i.id for i in flow.emergency]),
        ("evidence item", [i.id for i in flow.evidence]),
        ("escalation item", [i.id for i in flow.escalation]),
        ("verdict rule", [r.id for r in flow.verdict.rules]),
    ):
        problems += [f"duplicate {label} id {d!r}" for d in sorted(_dupes(ids))]
    for step in flow.steps:
        if isinstance(step, ChoiceStep):
            problems += [
                f"step {step.id}: duplicate option {d!r}"
                for d in sorted(_dupes(o.id for o in step.options))
            ]

    if flow.start not in step_ids:
        problems.append(f"start {flow.start!r} is not a step")
    for step in flow.steps:
        nxt = getattr(step, "next", None)
        if nxt is not None and nxt not in step_ids:
            problems.append(f"step {step.id}: next {nxt!r} is not a step")
    kinds = [s.kind for s in flow.steps]
    for kind in ("symptoms", "emergency", "verdict"):
        if kinds.count(kind) != 1:
            problems.append(f"the flow needs exactly one {kind} step, has {kinds.count(kind)}")
    if len(amount_steps) > 1:
        problems.append("at most one amount step")

    # Every step must be reachable from start, and the walk must end at the verdict.
    if flow.start in step_ids:
        seen: list[str] = []
        current: str | None = flow.start
        while current is not None and current in step_ids and current not in seen:
            seen.append(current)
            current = getattr(flow.step(current), "next", None)
        if current is not None and current in seen:
            problems.append(f"the steps loop back to {current!r}")
        unreachable = [s for s in step_ids if s not in seen]
        if unreachable:
            problems.append(f"steps not reachable from start: {', '.join(unreachable)}")
        if seen and not isinstance(flow.step(seen[-1]), VerdictStep) and current is None:
            problems.append("the walk from start does not end at the verdict step")
        order = [flow.step(s).kind for s in seen]
        if "symptoms" in order and "emergency" in order and (
            order.index("emergency") != order.index("symptoms") + 1
        ):
            problems.append("the emergency step must come right after the symptoms step")

    def check_condition(where: str, cond: Condition) -> None:
        for sub in cond.walk():
            for sid in (*sub.symptoms_any, *sub.symptoms_all, *sub.symptoms_only):
                if sid not in symptom_ids:
                    problems.append(f"{where}: unknown symptom {sid!r}")
            for step_id, options in sub.answers.items():
                if step_id not in choices:
                    problems.append(f"{where}: {step_id!r} is not a choice step")
                    continue
                for opt in options:
                    if opt not in choices[step_id]:
                        problems.append(f"{where}: {step_id!r} has no option {opt!r}")
            if (sub.amount_at_least is not None or sub.amount_known is not None) and not (
                amount_steps
            ):
                problems.append(f"{where}: uses the amount but the flow has no amount step")

    # Emergency steps may depend on answers: they are shown when the answer arrives.
    for item in flow.emergency:
        check_condition(f"emergency {item.id}", item.when)
    for group, name in ((flow.evidence, "evidence"), (flow.escalation, "escalation")):
        for item in group:
            check_condition(f"{name} {item.id}", item.when)
    for rule in flow.verdict.rules:
        check_condition(f"rule {rule.id}", rule.when)
    for step in flow.steps:
        skip_when = getattr(step, "skip_when", None)
        if skip_when is None:
            continue
        check_condition(f"step {step.id} skip_when", skip_when)
        # A question can only be skipped on what is known before it is asked.
        earlier = set(step_ids[: step_ids.index(step.id)])
        for sub in skip_when.walk():
            later = [s for s in sub.answers if s not in earlier]
            uses_amount = sub.amount_at_least is not None or sub.amount_known is not None
            if later or (uses_amount and not any(s.id in earlier for s in amount_steps)):
                problems.append(f"step {step.id}: skip_when uses answers not given before it")
    for outcome in set(Outcome) - set(flow.verdict.plans):
        problems.append(f"verdict plan missing for {outcome}")
    for outcome, plan in flow.verdict.plans.items():
        if plan.claim is not None and plan.claim not in flow.claim:
            problems.append(f"plan {outcome}: unknown claim guide {plan.claim!r}")
    missing_labels = set(Outcome) - set(flow.verdict.labels)
    if missing_labels:
        problems.append(f"verdict labels missing for {', '.join(sorted(missing_labels))}")
    for sid in symptom_ids:
        if not items_for(flow.emergency, Answers(symptoms=frozenset({sid}))):
            problems.append(f"symptom {sid!r} gets no emergency step")

    if translator is not None:
        for locale, keys in translator.keys.items():
            for key in sorted(set(flow.message_keys()) - keys):
                problems.append(f"message key {key!r} is missing in {locale}")
    return problems


M = TypeVar("M", bound=BaseModel)


def read_model(path: Path, model: type[M]) -> M:
    """Read a YAML file into a closed model, raising FlowError that lists what is wrong."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise FlowError(f"{path.name}: cannot read: {exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:20]
        ]
        raise FlowError(f"{path.name}: " + "; ".join(lines)) from None


def load_flow(path: Path = TRIAGE_FILE, translator: Translator | None = None) -> Flow:
    """Parse and validate a flow file, raising FlowError with every problem at once."""
    flow = read_model(path, Flow)
    problems = check_flow(flow, translator)
    if problems:
        raise FlowError(f"{path.name}: " + "; ".join(problems))
    return flow
