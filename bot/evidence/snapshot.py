"""One typed, read-only picture of a case: everything the documents need, read in one place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from bot.engine.schema import ChoiceStep, Flow
from bot.engine.walker import items_for, verdict
from bot.evidence.model import Channel, Contact, ContactChannel, EvidenceFile, Transaction
from bot.evidence.store import EvidenceStore
from bot.settings import Settings
from bot.store.cases import CaseRow, CaseStatus, EventRow, Store

# The regulator drafts /report can write, by escalation item id of flows/triage.yaml.
DRAFT_CHANNELS = ("c12315", "c12363", "c12378")


@dataclass(frozen=True)
class ItemLine:
    """An evidence item of the case: its id, its short-label key and whether it is ticked."""

    id: str
    key: str
    done: bool


@dataclass(frozen=True)
class LogLine:
    """One line of the contact log: typed by the user, or written by a follow-up answer."""

    at: str
    channel: ContactChannel
    ref: str | None = None
    note: str | None = None
    event: str | None = None  # follow-up event kind (claim_submitted, jd_answered, escalated)
    outcome: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """A case as the documents see it; built once, rendered many times, never written back."""

    case_id: int
    locale: str
    generated_at: str
    opened_at: str
    status: CaseStatus
    verdict_key: str | None
    symptom_keys: tuple[str, ...]
    answer_keys: dict[str, str]
    triage_amount: Decimal | None
    done_step_keys: tuple[str, ...]
    items: tuple[ItemLine, ...]
    files: tuple[EvidenceFile, ...]
    transactions: tuple[Transaction, ...]
    log: tuple[LogLine, ...]
    escalations: tuple[str, ...]
    escalated: bool
    images: dict[int, bytes] = field(default_factory=dict)
    received: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        """Return the sum of the transactions."""
        return sum((t.amount for t in self.transactions), Decimal(0))

    def totals(self) -> list[tuple[Channel, Decimal, int]]:
        """Return (channel, sum, count) per channel, in channel order."""
        out = []
        for channel in Channel:
            rows = [t.amount for t in self.transactions if t.channel is channel]
            if rows:
                out.append((channel, sum(rows, Decimal(0)), len(rows)))
        return out

    def police_refs(self) -> list[str]:
        """Return the police receipt numbers from the contact log."""
        return [c.ref for c in self.log if c.channel is ContactChannel.POLICE and c.ref]

    def item_key(self, item: str | None) -> str | None:
        """Return the label key of an item id."""
        return next((i.key for i in self.items if i.id == item), None)


LOG_EVENTS = ("claim_submitted", "jd_answered", "escalated")


def _log(contacts: list[Contact], events: list[EventRow], fmt: Callable[[float], str]
         ) -> tuple[LogLine, ...]:
    lines = [LogLine(c.at, c.channel, c.ref, c.note) for c in contacts]
    for e in events:
        if e.kind in LOG_EVENTS:
            outcome = e.data.get("outcome")
            lines.append(LogLine(fmt(e.at), ContactChannel.JD, event=e.kind,
                                 outcome=str(outcome) if outcome else None))
    return tuple(sorted(lines, key=lambda line: line.at))


async def take_snapshot(
    case: CaseRow, *, locale: str, flow: Flow, settings: Settings, store: Store,
    evidence: EvidenceStore, now: float,
    fetch: Callable[[EvidenceFile], Awaitable[bytes | None]] | None = None,
) -> Snapshot:
    """Read everything about a case the documents need (and, with ``fetch``, the images)."""
    tz = settings.tz

    def fmt(at: float) -> str:
        return datetime.fromtimestamp(at, tz).strftime("%Y-%m-%d %H:%M")

    facts = case.facts()
    answers: dict[str, str] = {}
    for step_id, value in facts.choices.items():
        step = flow.step(step_id) if step_id in {s.id for s in flow.steps} else None
        if isinstance(step, ChoiceStep):
            option = next((o for o in step.options if o.id == value), None)
            if option is not None:
                answers[step_id] = option.label
    events = await store.events(case.id)
    files = await evidence.files(case.id)
    images: dict[int, bytes] = {}
    if fetch is not None:
        for f in files:
            if f.kind is not f.kind.PDF:
                data = await fetch(f)
                if data is not None:
                    images[f.id] = data
    escalated = case.status is CaseStatus.ESCALATED or any(
        e.kind == "escalated" or (e.kind == "jd_answered" and e.data.get("outcome") in
                                  ("refused", "paid_part"))
        for e in events)
    return Snapshot(
        case_id=case.id,
        locale=locale,
        generated_at=fmt(now),
        opened_at=fmt(case.created_at),
        status=case.status,
        verdict_key=(flow.verdict.labels[verdict(flow, facts).outcome]
                     if case.verdict is not None else None),
        symptom_keys=tuple(s.label for s in flow.symptoms if s.id in case.symptoms),
        answer_keys=answers,
        triage_amount=case.amount,
        done_step_keys=tuple(it.text + "-short" for it in items_for(flow.emergency, facts)
                             if it.id in case.emergency_done),
        items=tuple(ItemLine(it.id, it.text + "-short", it.id in case.evidence_done)
                    for it in items_for(flow.evidence, facts)),
        files=tuple(files),
        transactions=tuple(await evidence.transactions(case.id)),
        log=_log(await evidence.contacts(case.id), events, fmt),
        escalations=tuple(it.id for it in items_for(flow.escalation, facts)
                          if it.id in DRAFT_CHANNELS),
        escalated=escalated,
        images=images,
        received={f.id: fmt(f.received_at) for f in files},
    )
