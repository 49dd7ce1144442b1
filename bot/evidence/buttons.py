"""Callback data of the claim-pack buttons (a leaf module, so the checklist can offer Upload)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bot.callbacks import Callback, register

RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Index = Annotated[int, Field(ge=0, le=63)]

PATTERN = r"^k[a-z]:"


@register
class EvidenceMenu(Callback):
    """Show the claim pack of a case: items to upload for, transactions, contacts, report."""

    prefix = "km"
    case: RowId


@register
class PickItem(Callback):
    """File the next uploads under evidence item ``i`` (index in the flow's evidence list)."""

    prefix = "ki"
    case: RowId
    i: Index


@register
class FileUnder(Callback):
    """Put an uploaded file under evidence item ``i``."""

    prefix = "kf"
    f: RowId
    i: Index


@register
class ProposalAction(Callback):
    """Confirm (c), correct (e) or discard (x) the transaction read from file ``f``."""

    prefix = "kp"
    f: RowId
    a: Literal["c", "e", "x"]


@register
class TxMenu(Callback):
    """List (l) a case's transactions, start adding one (a), or make their total the loss (s)."""

    prefix = "kt"
    case: RowId
    a: Literal["l", "a", "s"]


@register
class TxAction(Callback):
    """Show (v), edit a field of (o, t, m, c), delete (d) or confirm deleting (y) a transaction."""

    prefix = "kx"
    tx: RowId
    a: Literal["v", "o", "t", "m", "c", "d", "y"]


@register
class DraftAction(Callback):
    """Save (s), cancel (x), re-ask a field (o, t, m, c) or skip a field (k) of the entry."""

    prefix = "kd"
    case: RowId
    a: Literal["s", "x", "o", "t", "m", "c", "k", "n"]


@register
class DraftChannel(Callback):
    """Choose channel ``i`` for the entry being typed (transaction or contact)."""

    prefix = "kc"
    case: RowId
    i: Index


@register
class ContactMenu(Callback):
    """List (l) a case's contact log, start adding (a) or delete line ``n`` (d)."""

    prefix = "kk"
    case: RowId
    a: Literal["l", "a", "d"]
    n: Annotated[int, Field(ge=0, le=2**63 - 1)] = 0


@register
class BuildReport(Callback):
    """Build the documents of a case."""

    prefix = "kr"
    case: RowId
