"""The text documents of /report, as pure functions of a case snapshot.

Every word comes from the catalogue through ``t``; the functions only arrange the lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.evidence.model import Channel, ContactChannel, Transaction
from bot.evidence.snapshot import LogLine, Snapshot
from bot.money import format_amount

Words = Callable[..., str]

# How many transactions the statement lists before pointing to the dossier: it is pasted
# into JD's customer-service chat, which wants a short message.
STATEMENT_TX_LINES = 6

CHANNEL_KEYS: dict[Channel, str] = {
    Channel.BALANCE: "ev-channel-balance",
    Channel.BANK_CARD: "ev-channel-bank-card",
    Channel.BAITIAO: "ev-channel-baitiao",
    Channel.JINTIAO: "ev-channel-jintiao",
    Channel.ECARD: "ev-channel-ecard",
    Channel.COUPON: "ev-channel-coupon",
    Channel.OTHER: "ev-channel-other",
}

CONTACT_KEYS: dict[ContactChannel, str] = {
    ContactChannel.JD: "ev-contact-jd",
    ContactChannel.BANK: "ev-contact-bank",
    ContactChannel.POLICE: "ev-contact-police",
    ContactChannel.C12315: "ev-contact-12315",
    ContactChannel.C12363: "ev-contact-12363",
    ContactChannel.C12378: "ev-contact-12378",
    ContactChannel.OTHER: "ev-contact-other",
}

# Contact-log lines written by follow-up answers: event kind (and outcome) -> words.
LOG_EVENT_KEYS: dict[str, str] = {
    "claim_submitted": "ev-log-claim-submitted",
    "escalated": "ev-log-escalated",
    "refused": "ev-log-refused",
    "paid_part": "ev-log-paid-part",
    "paid_full": "ev-log-paid-full",
}

DRAFT_KEYS: dict[str, tuple[str, str]] = {
    "c12315": ("ev-contact-12315", "doc-draft-request-12315"),
    "c12363": ("ev-contact-12363", "doc-draft-request-12363"),
    "c12378": ("ev-contact-12378", "doc-draft-request-12378"),
}


def tx_line(t: Words, n: int, tx: Transaction, *, full: bool = True) -> str:
    """One transaction on one line (order number in full for documents, masked in chat)."""
    order = tx.order_no if full else mask_order(tx.order_no)
    return t("doc-tx-line", n=n, at=tx.at, order=order, amount=format_amount(tx.amount),
             channel=t(CHANNEL_KEYS[tx.channel]))


def mask_order(order: str) -> str:
    """Show only the last four characters of an order number."""
    return "*" * max(len(order) - 4, 0) + order[-4:]


def log_detail(t: Words, line: LogLine) -> str:
    """What a contact-log line says: the JD answer, or the reference and the user's note."""
    if line.event is not None:
        return t(LOG_EVENT_KEYS.get(line.outcome or line.event, "ev-log-escalated"))
    parts = [t("doc-log-ref", ref=line.ref) if line.ref else "", line.note or ""]
    return "; ".join(p for p in parts if p) or "-"


def log_line(t: Words, line: LogLine) -> str:
    """One contact-log line: date, whom, and what was said or agreed."""
    return t("doc-log-line", at=line.at, channel=t(CONTACT_KEYS[line.channel]),
             detail=log_detail(t, line))


def _join(t: Words, keys: Sequence[str]) -> str:
    return t("doc-list-sep").join(t(k) for k in keys)


def _loss(t: Words, snap: Snapshot) -> list[str]:
    if snap.transactions:
        return [t("doc-tx-head", count=len(snap.transactions), total=format_amount(snap.total))]
    if snap.triage_amount is not None:
        return [t("doc-loss-triage", amount=format_amount(snap.triage_amount))]
    return [t("doc-loss-unknown")]


def _noticed(t: Words, snap: Snapshot) -> str:
    when = snap.answer_keys.get("noticed")
    return t("doc-noticed", date=snap.opened_at[:10], when=t(when) if when else "-")


def statement(t: Words, snap: Snapshot) -> str:
    """The message to paste into JD customer service: short, factual, complete."""
    lines = [t("doc-statement-open"), _noticed(t, snap), *_loss(t, snap)]
    shown = snap.transactions[:STATEMENT_TX_LINES]
    lines += [tx_line(t, n, tx) for n, tx in enumerate(shown, 1)]
    if len(snap.transactions) > len(shown):
        lines.append(t("doc-statement-more", count=len(snap.transactions) - len(shown)))
    if snap.done_step_keys:
        lines.append(t("doc-statement-done", steps=_join(t, snap.done_step_keys)))
    refs = snap.police_refs()
    if refs:
        lines.append(t("doc-statement-police-ref", ref=", ".join(refs)))
    elif snap.answer_keys.get("police") == "q-police-reported":
        lines.append(t("doc-statement-police"))
    held = [i.key for i in snap.items if i.done]
    if held:
        lines.append(t("doc-statement-evidence", items=_join(t, held)))
    lines.append(t("doc-statement-close"))
    return "\n".join(lines)


def police_memo(t: Words, snap: Snapshot) -> str:
    """What to bring and say at the police station, in the order police ask for it."""
    lines = [t("doc-memo-title", case=snap.case_id), t("doc-memo-bring"), ""]
    if snap.symptom_keys:
        lines.append(t("doc-memo-what", symptoms=_join(t, snap.symptom_keys)))
    cause = snap.answer_keys.get("cause")
    if cause:
        lines.append(t("doc-memo-cause", cause=t(cause)))
    lines.append(_noticed(t, snap))
    channels = [CHANNEL_KEYS[c] for c, _, _ in snap.totals()]
    lines.append(t("doc-memo-account",
                   channels=_join(t, channels) if channels else t("doc-memo-unknown")))
    lines += _loss(t, snap)
    lines += [tx_line(t, n, tx) for n, tx in enumerate(snap.transactions, 1)]
    lines += ["", t("doc-memo-payee"),
              t("doc-memo-receipts", count=len(snap.files)), t("doc-memo-chats")]
    if snap.log:
        lines += ["", t("doc-memo-contacts")]
        lines += [log_line(t, line) for line in snap.log]
    lines += ["", t("doc-memo-receipt")]
    return "\n".join(lines)


def _answer(t: Words, snap: Snapshot) -> str:
    outcomes = [line.outcome for line in snap.log if line.event == "jd_answered"]
    if outcomes and outcomes[-1] == "refused":
        return t("doc-draft-answer-refused")
    if outcomes and outcomes[-1] == "paid_part":
        return t("doc-draft-answer-paid-part")
    return t("doc-draft-answer-none")


def escalation_drafts(t: Words, snap: Snapshot) -> list[tuple[str, str]]:
    """Complaint drafts (12315, 12363, 12378) for a case that reached escalation."""
    if not snap.escalated:
        return []
    claimed = [line.at[:10] for line in snap.log if line.event == "claim_submitted"]
    facts = [
        t("doc-draft-facts", date=snap.opened_at[:10], count=len(snap.transactions),
          total=format_amount(snap.total if snap.transactions else
                              snap.triage_amount or snap.total)),
        t("doc-draft-claim", date=claimed[0]) if claimed else t("doc-draft-claim-none"),
        _answer(t, snap),
    ]
    drafts = []
    for channel in snap.escalations:
        name_key, request_key = DRAFT_KEYS[channel]
        body = [t("doc-draft-title", channel=t(name_key), case=snap.case_id), *facts]
        body += [tx_line(t, n, tx) for n, tx in enumerate(snap.transactions, 1)]
        body += [t(request_key), t("doc-draft-attach"), t("doc-draft-sign")]
        drafts.append((channel, "\n".join(body)))
    return drafts
