"""Parse the amount a victim types: digits with separators and currency words, a 10k
suffix, and Chinese numerals (the words are in flows/patterns.yaml)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

import cn2an

from bot.patterns import alternation, patterns

MAX_AMOUNT = Decimal("10000000")  # 1e7 yuan: above this is a typo, not a JD account loss
MIN_AMOUNT = Decimal("1")  # below one yuan: most likely a slip (0.01), asked again

_WORDS = patterns().money
_PREFIX = re.compile(r"^" + alternation(_WORDS.prefixes) + r"\s*", re.I)
_SUFFIX = re.compile(r"\s*" + alternation(_WORDS.suffixes) + r"$", re.I)
_TEN_THOUSAND = tuple(w for word in _WORDS.ten_thousand for w in (word, word.upper()))
_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{0,2})?$")
# Chinese numerals, alone or mixed with digits.
_NUMERALS = "".join(re.escape(w) for w in _WORDS.numerals)
_CHINESE = re.compile(rf"^[\d.{_NUMERALS}]+$")
_CHINESE_UNIT = re.compile(rf"[{_NUMERALS}]")
_NEGATIVE = tuple(_WORDS.negative)
# Bare digits as long as a verification code and with no currency word: ask before storing.
_CODE_SHAPED = re.compile(r"^\d{6,8}$")
_SPACED = re.compile(r"^\d{1,3}( \d{3})+(\.\d{1,2})?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


class Problem(StrEnum):
    """Why a text is not taken as the amount lost."""

    UNREADABLE = "unreadable"
    ZERO = "zero"
    TOO_SMALL = "too_small"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"


class AmountError(ValueError):
    """Text that is not an amount of money (``problem`` says why)."""

    def __init__(self, text: str, problem: Problem = Problem.UNREADABLE) -> None:
        super().__init__(problem.value)
        self.problem = problem


def looks_like_code(text: str) -> bool:
    """Tell whether a typed amount has the shape of an SMS code (6-8 bare digits)."""
    return bool(_CODE_SHAPED.match(text.strip().translate(_FULLWIDTH)))


def parse_amount(text: str) -> Decimal:
    """Return the amount in yuan, with at most two decimals, or raise AmountError."""
    s = text.strip().translate(_FULLWIDTH).replace("，", ",")
    negative = s.startswith(_NEGATIVE)
    if negative:
        s = s.lstrip("".join(_NEGATIVE)).strip()
    s = _SUFFIX.sub("", _PREFIX.sub("", s)).strip()
    value = _chinese(s) if _CHINESE_UNIT.search(s) else _digits(text, s)
    if negative and value != 0:
        raise AmountError(text, Problem.NEGATIVE)
    if value <= 0:
        raise AmountError(text, Problem.ZERO)
    if value < MIN_AMOUNT:
        raise AmountError(text, Problem.TOO_SMALL)
    if value > MAX_AMOUNT:
        raise AmountError(text, Problem.TOO_LARGE)
    return value.quantize(Decimal("0.01"))


def _chinese(s: str) -> Decimal:
    """Read Chinese numerals with cn2an (a maintained converter); smart mode mixes digits."""
    if not _CHINESE.match(s):
        raise AmountError(s)
    try:
        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError):
        raise AmountError(s) from None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise AmountError(s) from None


def _digits(text: str, s: str) -> Decimal:
    """Read Arabic digits with thousands separators and a ten-thousand suffix."""
    if any(ch.isspace() for ch in s):
        if not _SPACED.match(s):
            raise AmountError(text)  # "1 299" is a thousands separator, "1 2 3 4" is not
        s = s.replace(" ", "")
    factor = Decimal(1)
    if s.endswith(_TEN_THOUSAND):
        factor = Decimal(10000)
        s = s[: -len(next(w for w in _TEN_THOUSAND if s.endswith(w)))]
    if not _NUMBER.match(s):
        raise AmountError(text)
    try:
        return Decimal(s.replace(",", "").rstrip(".")) * factor
    except InvalidOperation:
        raise AmountError(text) from None


def format_amount(value: Decimal) -> str:
    """Render an amount for messages: thousands separators, decimals only when needed."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"
