"""Spot secrets a victim might type (SMS codes, passwords, card and ID numbers) so none is kept."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.patterns import alternation, patterns


class Secret(StrEnum):
    """Kinds of sensitive text the bot refuses to keep."""

    SMS_CODE = "sms_code"
    PASSWORD = "password"
    CARD_NUMBER = "card_number"
    ID_NUMBER = "id_number"


_DIGIT_RUN = re.compile(r"(?<!\d)(\d[\d -]{11,24}\d)(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_BARE_CODE = re.compile(r"^\s*(\d{4,8})\s*$")
_CODE_WITH_WORD = re.compile(r"(?<!\d)\d{4,8}(?!\d)")
_WORDS = patterns().secrets
_CODE_WORDS = re.compile(alternation(_WORDS.code_words, word_bounds=True), re.I)
_PASSWORD_WORDS = re.compile(
    alternation(_WORDS.password_words) + r"\s*" + alternation(_WORDS.password_links) + r"\s*\S+",
    re.I,
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def luhn_ok(digits: str) -> bool:
    """Tell whether a digit string passes the Luhn check used by bank cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def id_number_ok(text: str) -> bool:
    """Tell whether an 18-character string carries a valid PRC resident ID checksum."""
    body, check = text[:17], text[17].upper()
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == check


def find_secrets(text: str, *, expecting_number: bool = False) -> set[Secret]:
    """Return the kinds of secrets the text seems to contain.

    ``expecting_number`` is set while the bot asks for an amount, so a bare number is an
    amount there, not a code.
    """
    found: set[Secret] = set()
    for match in _ID_NUMBER.finditer(text):
        if id_number_ok(match.group(1)):
            found.add(Secret.ID_NUMBER)
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and Secret.ID_NUMBER not in found:
            found.add(Secret.CARD_NUMBER)
    if _PASSWORD_WORDS.search(text):
        found.add(Secret.PASSWORD)
    near_word = _CODE_WORDS.search(text) and _CODE_WITH_WORD.search(text)
    if near_word or (not expecting_number and _BARE_CODE.match(text)):
        found.add(Secret.SMS_CODE)
    return found


def mask(value: str, keep: int = 4) -> str:
    """Mask all but the last ``keep`` characters of an account or order number."""
    value = value.strip()
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
