"""Read what users type into the claim pack, and a transaction from a screenshot's OCR lines."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from bot.engine.loader import read_model
from bot.evidence.model import Channel, Proposal
from bot.money import AmountError, parse_amount
from bot.patterns import alternation

RECEIPTS_FILE = Path(__file__).resolve().parent.parent.parent / "flows" / "receipts.yaml"
EARLIEST_YEAR = 2004  # JD's online shop opened in 2004: anything before is a typo
MAX_REF = 64
MAX_NOTE = 500


class ReceiptWords(BaseModel):
    """The labels of flows/receipts.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    order_labels: tuple[str, ...]
    time_labels: tuple[str, ...]
    amount_labels: tuple[str, ...]
    channel_labels: tuple[str, ...]
    channels: dict[Channel, tuple[str, ...]]
    date_units: dict[str, str]


@cache
def receipt_words(path: Path = RECEIPTS_FILE) -> ReceiptWords:
    """Load the receipt labels once."""
    return read_model(path, ReceiptWords)


class InputError(ValueError):
    """Typed text that does not fit the field asked for."""


def normalise(text: str) -> str:
    """Fold full-width forms (digits, colons, yen) to their plain forms."""
    return unicodedata.normalize("NFKC", text).replace("\u00a5", "¥")


_ORDER = re.compile(r"^[A-Za-z0-9]{6,32}$")


@dataclass(frozen=True)
class _When:
    full: re.Pattern[str]
    short: re.Pattern[str]
    in_line: re.Pattern[str]


@cache
def _when() -> _When:
    """Build the date patterns from the unit words of flows/receipts.yaml."""
    u = {k: re.escape(v) for k, v in receipt_words().date_units.items()}
    date = (rf"(\d{{4}})\s*[-/.{u['year']}]\s*(\d{{1,2}})\s*[-/.{u['month']}]\s*"
            rf"(\d{{1,2}})\s*{u['day']}?")
    short = rf"(\d{{1,2}})\s*[-/.{u['month']}]\s*(\d{{1,2}})\s*{u['day']}?"
    time = (rf"(\d{{1,2}})\s*[:{u['hour']}]\s*(\d{{2}})\s*{u['minute']}?"
            rf"(?:\s*:?\s*(\d{{2}})\s*{u['second']}?)?")
    tail = r"\s*$"
    return _When(
        full=re.compile(rf"^{date}(?:\s*{time})?{tail}"),
        short=re.compile(rf"^{short}(?:\s*{time})?{tail}"),
        in_line=re.compile(rf"(20\d{{2}})\s*[-/.{u['year']}]\s*(\d{{1,2}})\s*"
                           rf"[-/.{u['month']}]\s*(\d{{1,2}}){u['day']}?\s*{time}"),
    )


_MONEY_IN_LINE = re.compile(r"[¥]?\s*(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+\.\d{1,2}|\d+)")


def parse_order(text: str) -> str:
    """Return an order or transaction number (6-32 letters and digits, spaces dropped)."""
    value = re.sub(r"[\s-]", "", normalise(text))
    if not _ORDER.match(value):
        raise InputError(text)
    return value


def _stamp(year: int, month: int, day: int, hour: str | None, minute: str | None,
           now: datetime) -> str:
    try:
        when = datetime(year, month, day, int(hour or 0), int(minute or 0), tzinfo=now.tzinfo)
    except ValueError:
        raise InputError(f"{year}-{month}-{day}") from None
    if when.year < EARLIEST_YEAR or when > now + timedelta(hours=1):
        raise InputError(when.isoformat())
    return when.strftime("%Y-%m-%d %H:%M") if hour is not None else when.strftime("%Y-%m-%d")


def parse_when(text: str, now: float, tz: ZoneInfo, *, with_time: bool = True) -> str:
    """Return 'YYYY-MM-DD HH:MM' (or 'YYYY-MM-DD' when no time is given) in the local zone.

    Accepts 2026-11-20 14:32, 2026/11/20, the same with Chinese units, and 11-20 14:32 (this
    year);
    dates in the future or before 2004 are refused.
    """
    s = normalise(text).strip()
    local = datetime.fromtimestamp(now, tz)
    if m := _when().full.match(s):
        y, mo, d, h, mi = int(m[1]), int(m[2]), int(m[3]), m[4], m[5]
    elif m := _when().short.match(s):
        y, mo, d, h, mi = local.year, int(m[1]), int(m[2]), m[3], m[4]
    else:
        raise InputError(text)
    if not with_time:
        h = mi = None
    return _stamp(y, mo, d, h, mi, local)


def parse_positive_amount(text: str) -> Decimal:
    """Return an amount above zero, or raise InputError."""
    try:
        value = parse_amount(normalise(text))
    except AmountError:
        raise InputError(text) from None
    if value <= 0:
        raise InputError(text)
    return value


def parse_short_text(text: str, limit: int) -> str:
    """Return trimmed text of at most ``limit`` characters on one paragraph."""
    value = " ".join(text.split())
    if not value or len(value) > limit:
        raise InputError(text[:20])
    return value


# ---- reading a screenshot ----------------------------------------------------------------


def _after_label(lines: Sequence[str], labels: tuple[str, ...],
                 pattern: re.Pattern[str]) -> re.Match[str] | None:
    """Find ``pattern`` after the first label that has one (same line, else the next line)."""
    for label in labels:
        for n, line in enumerate(lines):
            pos = line.find(label)
            if pos < 0:
                continue
            rest = line[pos + len(label):]
            for candidate in (rest, lines[n + 1] if n + 1 < len(lines) else ""):
                m = pattern.search(candidate)
                if m:
                    return m
    return None


_ORDER_IN_LINE = re.compile(r"(?<![0-9A-Za-z])([0-9]{8,32})(?![0-9A-Za-z])")


def _channel(lines: Sequence[str], words: ReceiptWords) -> Channel | None:
    labelled = [
        line + (lines[n + 1] if n + 1 < len(lines) else "")
        for n, line in enumerate(lines)
        if any(label in line for label in words.channel_labels)
    ]
    for scope in (labelled, lines):
        text = "\n".join(scope)
        for channel, names in words.channels.items():
            if re.search(alternation(names), text, re.I):
                return channel
    return None


def read_receipt(raw_lines: Sequence[str], now: float, tz: ZoneInfo) -> Proposal | None:
    """Read a transaction (order number, time, amount, channel) from a screenshot's lines.

    Returns None unless an order number or an amount was found.
    """
    words = receipt_words()
    lines = [normalise(line).strip() for line in raw_lines if line.strip()]
    order = None
    if m := _after_label(lines, words.order_labels, _ORDER_IN_LINE):
        order = m[1]
    amount = None
    if m := _after_label(lines, words.amount_labels, _MONEY_IN_LINE):
        try:
            amount = str(parse_positive_amount(m[1]))
        except InputError:
            amount = None
    at = None
    in_line = _when().in_line
    timed = _after_label(lines, words.time_labels, in_line) or in_line.search("\n".join(lines))
    if timed:
        try:
            at = _stamp(int(timed[1]), int(timed[2]), int(timed[3]), timed[4], timed[5],
                        datetime.fromtimestamp(now, tz))
        except InputError:
            at = None
    if order is None and amount is None:
        return None
    return Proposal(order=order, at=at, amount=amount, channel=_channel(lines, words))
