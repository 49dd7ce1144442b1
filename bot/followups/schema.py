"""The follow-up ladder as data: a closed pydantic schema for flows/followups.yaml."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from bot.engine.loader import FLOWS_DIR, FlowError, read_model
from bot.engine.schema import Closed, Flow, Id, Key
from bot.i18n import Translator

LADDER_FILE = FLOWS_DIR / "followups.yaml"


class Trigger(StrEnum):
    """Something that happens to a case and may schedule or cancel reminders."""

    PLANNED = "planned"
    CLAIM_SUBMITTED = "claim_submitted"
    JD_REFUSED = "jd_refused"
    JD_PAID_PART = "jd_paid_part"


class Action(StrEnum):
    """An answer button under a reminder."""

    DONE = "done"
    NOT_YET = "not_yet"
    CLAIM_SUBMITTED = "claim_submitted"
    PAID_FULL = "paid_full"
    PAID_PART = "paid_part"
    REFUSED = "refused"
    STOP = "stop"


class SkipIf(StrEnum):
    """A case fact that makes a due reminder pointless."""

    EMERGENCY_DONE = "emergency_done"
    CLAIM_SUBMITTED = "claim_submitted"
    NO_CLAIM = "no_claim"  # the verdict's plan has no claim (nothing lost yet)


class Delay(Closed):
    """How long after its trigger a reminder falls due: exactly one of the units."""

    hours: float = Field(default=0, ge=0, le=24 * 365)
    days: int = Field(default=0, ge=0, le=365)
    working_days: int = Field(default=0, ge=0, le=250)

    @model_validator(mode="after")
    def _one_unit(self) -> Delay:
        units = sum(1 for v in (self.hours, self.days, self.working_days) if v)
        if units != 1:
            raise ValueError("give exactly one of hours, days, working_days (non-zero)")
        return self


class Schedule(Closed):
    """Schedule a step ``after`` a delay once ``trigger`` happens."""

    trigger: Trigger
    after: Delay


class Step(Closed):
    """One rung of the ladder."""

    id: Id
    title: Key
    text: Key
    content: Literal["none", "emergency", "escalation"] = "none"
    channels: tuple[Id, ...] = ()
    skip_if: tuple[SkipIf, ...] = ()
    schedule: tuple[Schedule, ...] = Field(min_length=1)
    cancel_on: tuple[Trigger, ...] = ()
    buttons: tuple[Action, ...] = Field(min_length=1, max_length=8)
    on_done: Literal["none", "emergency_done", "escalated"] = "none"


class Ladder(Closed):
    """The whole follow-up ladder."""

    version: Literal[1]
    snooze: Delay
    steps: tuple[Step, ...] = Field(min_length=1)

    def step(self, step_id: str) -> Step | None:
        """Return a step by id (None for a step no longer in the file)."""
        for step in self.steps:
            if step.id == step_id:
                return step
        return None

    def message_keys(self) -> set[str]:
        """Return every message key the ladder refers to."""
        return {k for s in self.steps for k in (s.title, s.text)}


def check_ladder(ladder: Ladder, flow: Flow, translator: Translator | None = None) -> list[str]:
    """Return every consistency problem of a parsed ladder (empty when it is sound)."""
    problems: list[str] = []
    ids = [s.id for s in ladder.steps]
    problems += [f"duplicate step id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    channels = {item.id for item in flow.escalation}
    for step in ladder.steps:
        where = f"step {step.id}"
        if step.content == "escalation" and not step.channels:
            problems.append(f"{where}: escalation content needs channels")
        if step.channels and step.content != "escalation":
            problems.append(f"{where}: channels are only used with content: escalation")
        problems += [f"{where}: unknown escalation channel {c!r}" for c in step.channels
                     if c not in channels]
        if len(set(step.buttons)) != len(step.buttons):
            problems.append(f"{where}: duplicate buttons")
        if step.on_done != "none" and Action.DONE not in step.buttons:
            problems.append(f"{where}: on_done without a done button")
        if Action.DONE in step.buttons and step.on_done == "none":
            problems.append(f"{where}: a done button needs on_done")
        triggers = [s.trigger for s in step.schedule]
        if len(set(triggers)) != len(triggers):
            problems.append(f"{where}: a trigger may schedule a step only once")
        problems += [f"{where}: cancelled by {t} which also schedules it" for t in step.cancel_on
                     if t in triggers]
    if translator is not None:
        for locale, keys in translator.keys.items():
            problems += [f"message key {k!r} is missing in {locale}"
                         for k in sorted(ladder.message_keys() - keys)]
    return problems


def load_ladder(flow: Flow, translator: Translator | None = None,
                path: Path = LADDER_FILE) -> Ladder:
    """Parse and validate the ladder, raising FlowError with every problem at once."""
    ladder = read_model(path, Ladder)
    problems = check_ladder(ladder, flow, translator)
    if problems:
        raise FlowError(f"{path.name}: " + "; ".join(problems))
    return ladder
