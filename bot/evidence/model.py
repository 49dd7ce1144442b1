"""Rows of the claim pack and the values they may hold."""

from __future__ import annotations

import json
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Channel(StrEnum):
    """How the money of a transaction left (the order of the channel buttons)."""

    BALANCE = "balance"
    BANK_CARD = "bank_card"
    BAITIAO = "baitiao"
    JINTIAO = "jintiao"
    ECARD = "ecard"
    COUPON = "coupon"
    OTHER = "other"


class ContactChannel(StrEnum):
    """Whom the user was in touch with (the order of the contact buttons)."""

    JD = "jd_cs"
    BANK = "bank"
    POLICE = "police"
    C12315 = "c12315"
    C12363 = "c12363"
    C12378 = "c12378"
    OTHER = "other"


class FileKind(StrEnum):
    """How a file arrived: a (recompressed) photo, an image sent as a file, or a PDF."""

    PHOTO = "photo"
    IMAGE = "image"
    PDF = "pdf"


class DraftKind(StrEnum):
    """What the user is typing in."""

    TX = "tx"
    CONTACT = "contact"


# The fields of each draft, in the order they are asked.
TX_FIELDS = ("order", "at", "amount", "channel")
CONTACT_FIELDS = ("channel", "at", "ref", "note")


class Proposal(BaseModel):
    """A transaction read from a screenshot, waiting for the user to confirm it."""

    model_config = ConfigDict(frozen=True)

    order: str | None = None
    at: str | None = None
    amount: str | None = None
    channel: Channel | None = None

    def found(self) -> int:
        """Return how many fields were read."""
        return sum(v is not None for v in (self.order, self.at, self.amount, self.channel))


class EvidenceFile(BaseModel):
    """One file filed as evidence (the bytes stay with Telegram)."""

    id: int
    case_id: int
    item: str | None
    kind: FileKind
    file_id: str
    file_unique_id: str
    file_name: str | None
    mime: str
    size: int
    sha256: str
    note: str | None
    proposal: Proposal | None = None
    received_at: float

    @field_validator("proposal", mode="before")
    @classmethod
    def _json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value


class Transaction(BaseModel):
    """One unauthorised transaction."""

    id: int
    case_id: int
    order_no: str
    at: str
    amount: Decimal
    channel: Channel
    file: int | None = None
    created_at: float
    updated_at: float


class Contact(BaseModel):
    """One contact with JD, the bank, the police or a regulator."""

    id: int
    case_id: int
    at: str
    channel: ContactChannel
    ref: str | None = None
    note: str | None = None
    created_at: float


class State(BaseModel):
    """Where a user's claim-pack input stands."""

    user_id: int
    case_id: int
    upload_item: str | None = None
    upload_at: float | None = None
    draft_kind: DraftKind | None = None
    draft_target: int | None = None
    draft_field: str | None = None
    draft_data: dict[str, Any] = Field(default_factory=dict)
    updated_at: float

    @field_validator("draft_data", mode="before")
    @classmethod
    def _json(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value
