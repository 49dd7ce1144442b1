"""Parse the amount a victim types (e.g. 1299.5, 1,299 with a currency word, 1.2 x 10k)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.patterns import alternation, patterns

MAX_AMOUNT = Decimal("100000000")  # 1e8 yuan: above this is a typo, not a JD loss

_WORDS = patterns().money
_PREFIX = re.compile(r"^" + alternation(_WORDS.prefixes) + r"\s*", re.I)
_SUFFIX = re.compile(r"\s*" + alternation(_WORDS.suffixes) + r"$", re.I)
_TEN_THOUSAND = tuple(w for word in _WORDS.ten_thousand for w in (word, word.upper()))
_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")
_SPACED = re.compile(r"^\d{1,3}( \d{3})+(\.\d{1,2})?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


class AmountError(ValueError):
    """Text that is not an amount of money."""


def parse_amount(text: str) -> Decimal:
    """Return the amount in yuan, with at most two decimals, or raise AmountError."""
    s = text.strip().translate(_FULLWIDTH).replace("，", ",")
    s = _SUFFIX.sub("", _PREFIX.sub("", s)).strip()
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
        value = Decimal(s.replace(",", "")) * factor
    except InvalidOperation:
        raise AmountError(text) from None
    if value > MAX_AMOUNT:
        raise AmountError(text)
    return value.quantize(Decimal("0.01"))


def format_amount(value: Decimal) -> str:
    """Render an amount for messages: thousands separators, decimals only when needed."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"
