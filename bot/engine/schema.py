"""The triage flow as data: a closed pydantic schema for flows/triage.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,23}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]


class Closed(BaseModel):
    """Base of every flow model: unknown fields are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Outcome(StrEnum):
    """The verdict, in precedence order: when several rules match, the later outcome wins.

    The first three follow how strongly the seed article speaks of each kind of loss: money
    taken from the account is covered when its two tests hold (covered), credit "can be claimed
    where the conditions are met" (claimable), gift cards and coupons are "within the scope of
    attention" (considered). ``no_loss`` comes last: with nothing lost there is no claim at all.
    """

    COVERED = "covered"
    CLAIMABLE = "claimable"
    CONSIDERED = "considered"
    AT_RISK = "at_risk"
    HARD = "hard"
    EXCLUDED = "excluded"
    NO_LOSS = "no_loss"

    @property
    def severity(self) -> int:
        """Order outcomes so the most decisive matched rule wins."""
        return list(Outcome).index(self)


class Condition(Closed):
    """All given tests must hold; an empty condition always holds.

    ``any_of`` holds when at least one of its conditions holds (an empty list is no test).
    """

    symptoms_any: tuple[Id, ...] = ()
    symptoms_all: tuple[Id, ...] = ()
    symptoms_only: tuple[Id, ...] = ()
    answers: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    amount_at_least: Decimal | None = None
    amount_known: bool | None = None
    any_of: tuple[Condition, ...] = ()

    def uses_answers(self) -> bool:
        """Tell whether this condition needs answers beyond the symptoms."""
        return bool(self.answers) or self.amount_at_least is not None or (
            self.amount_known is not None
        ) or any(c.uses_answers() for c in self.any_of)

    def walk(self) -> Iterator[Condition]:
        """Yield this condition and every nested one."""
        yield self
        for sub in self.any_of:
            yield from sub.walk()


class Symptom(Closed):
    """One thing a victim may see."""

    id: Id
    label: Key
    money_moving: bool = False


class Item(Closed):
    """A checklist line (emergency step, evidence item, escalation channel) shown when ``when``."""

    id: Id
    text: Key
    when: Condition = Condition()


class Channel(Item):
    """An escalation channel: for ``now`` (report the crime, the scam) or ``later`` (JD refuses
    or stays silent)."""

    phase: Literal["now", "later"]


class Option(Closed):
    """One answer button of a choice question."""

    id: Id
    label: Key


class SymptomsStep(Closed):
    """Multi-select of symptoms with toggle buttons and a Done button."""

    kind: Literal["symptoms"]
    id: Id
    prompt: Key
    title: Key  # short name, e.g. in "change my answers"
    next: Id


class EmergencyStep(Closed):
    """The tailored emergency checklist, shown before any question."""

    kind: Literal["emergency"]
    id: Id
    prompt: Key
    next: Id


class ChoiceStep(Closed):
    """A question answered with one button."""

    kind: Literal["choice"]
    id: Id
    prompt: Key
    title: Key  # short name, e.g. in "change my answers"
    options: tuple[Option, ...] = Field(min_length=2, max_length=12)
    next: Id
    skip_when: Condition | None = None


class AmountStep(Closed):
    """A question answered with an amount of money typed as text."""

    kind: Literal["amount"]
    id: Id
    prompt: Key
    title: Key  # short name, e.g. in "change my answers"
    invalid: Key
    unknown_label: Key
    next: Id
    skip_when: Condition | None = None


class VerdictStep(Closed):
    """The end of triage: verdict, evidence checklist, claim guide, escalation."""

    kind: Literal["verdict"]
    id: Id
    prompt: Key


Step = Annotated[
    SymptomsStep | EmergencyStep | ChoiceStep | AmountStep | VerdictStep,
    Field(discriminator="kind"),
]


class Rule(Closed):
    """A verdict rule: when it holds, its outcome counts.

    Its reason is shown when the final outcome is its own or one of ``also_with`` (so a reason
    never contradicts the verdict above it); ``route`` is a paragraph on what this means and
    where to go, shown at the head of the plan under the same condition.
    """

    id: Id
    when: Condition
    outcome: Outcome
    reason: Key
    also_with: tuple[Outcome, ...] = ()
    route: Key | None = None


class Plan(Closed):
    """What the plan leads with for an outcome and which claim guide (if any) it gives."""

    lead: Key
    claim: Id | None = None


class ClaimGuide(Closed):
    """A numbered guide: how to claim in the app, or how to tell JD without a claim."""

    intro: Key
    steps: tuple[Key, ...] = Field(min_length=1)
    notes: tuple[Key, ...] = ()


class Verdict(Closed):
    """How the verdict is derived: the last outcome in precedence among matching rules."""

    default: Outcome
    default_reason: Key
    rules: tuple[Rule, ...]
    labels: dict[Outcome, Key]
    plans: dict[Outcome, Plan]


class Flow(Closed):
    """The whole triage flow."""

    version: Literal[1]
    start: Id
    symptoms: tuple[Symptom, ...] = Field(min_length=1, max_length=20)
    emergency: tuple[Item, ...]
    steps: tuple[Step, ...]
    verdict: Verdict
    evidence: tuple[Item, ...]
    claim: dict[Id, ClaimGuide]
    escalation: tuple[Channel, ...]

    def step(self, step_id: str) -> Step:
        """Return a step by id."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_index(self, step_id: str) -> int:
        """Return the position of a step (used in compact callback data)."""
        for i, step in enumerate(self.steps):
            if step.id == step_id:
                return i
        raise KeyError(step_id)

    def symptom_ids(self) -> list[str]:
        """Return symptom ids in display order."""
        return [s.id for s in self.symptoms]

    def message_keys(self) -> Iterator[str]:
        """Yield every message key the flow refers to."""
        for symptom in self.symptoms:
            yield symptom.label
        for group in (self.emergency, self.evidence, self.escalation):
            for item in group:
                yield item.text
        for item in (*self.emergency, *self.evidence):
            yield item.text + "-short"  # the button label of a checklist item
        for step in self.steps:
            yield step.prompt
            title = getattr(step, "title", None)
            if title is not None:
                yield title
            if isinstance(step, ChoiceStep):
                yield from (o.label for o in step.options)
            if isinstance(step, AmountStep):
                yield step.invalid
                yield step.unknown_label
        yield self.verdict.default_reason
        yield from (r.reason for r in self.verdict.rules)
        yield from (r.route for r in self.verdict.rules if r.route is not None)
        yield from self.verdict.labels.values()
        yield from (p.lead for p in self.verdict.plans.values())
        for guide in self.claim.values():
            yield guide.intro
            yield from guide.steps
            yield from guide.notes
