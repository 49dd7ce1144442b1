"""Spot secrets a victim might type (SMS codes, passwords, card and ID numbers) so none is kept."""

from __future__ import annotations

import re
import unicodedata
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
_WORDS = patterns().secrets
_MONEY = patterns().money


def _words(words: tuple[str, ...]) -> str:
    """Alternation where ASCII words start at a word boundary and are not followed by a letter.

    ``OTP482913`` matches ``otp`` (a digit may follow), ``spin`` does not match ``pin``.
    """
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        if word.isascii() and word[:1].isalnum():
            escaped = rf"\b{escaped}(?![A-Za-z])"
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


_CODE_WORD = _words(_WORDS.code_words)
_NUMBER = r"(?<![\d.,])(\d{4,8})(?![\d.,]*\d)"
# A code number right after a code word (within 12 characters that are not digits), or right
# before one ("482913 is the code").
_CODE_AFTER = re.compile(_CODE_WORD + r"[^\d]{0,12}?" + _NUMBER, re.I)
_CODE_BEFORE = re.compile(_NUMBER + r"[^\d]{0,8}?" + _CODE_WORD, re.I)
_CODE_WORD_RE = re.compile(_CODE_WORD, re.I)
_MONEY_AFTER = re.compile(r"\s*" + alternation(_MONEY.suffixes + _MONEY.ten_thousand), re.I)
_MONEY_BEFORE = re.compile(alternation(_MONEY.prefixes) + r"\s*$", re.I)
# A password word, an optional link word, then the value (printable ASCII, no spaces).
_PASSWORD = re.compile(
    r"(?P<word>" + _words(_WORDS.password_words) + r")"
    r"(?:\s*(?P<link>" + _words(_WORDS.password_links) + r"))?"
    r"[\s\"'`“”‘’]*(?P<value>[!-~]+)",
    re.I,
)
_NOT_PASSWORDS = frozenset(w.casefold() for w in _WORDS.not_passwords)
_TRAILING_PUNCT = ".,;!?)]}>'\"`"
_MASK_CHARS = "*•●·.xX-_"
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


def _is_amount(text: str, match: re.Match[str], group: int) -> bool:
    """Tell whether the number of a match is money (a currency sign before or word after it)."""
    start, end = match.span(group)
    before = text[max(0, start - 6):start]
    return bool(_MONEY_AFTER.match(text, end) or _MONEY_BEFORE.search(before))


def _has_code(text: str) -> tuple[bool, list[tuple[int, int]]]:
    """Return whether a code sits next to a code word, and where the code words are."""
    spans = [m.span() for m in _CODE_WORD_RE.finditer(text)]
    for pattern in (_CODE_AFTER, _CODE_BEFORE):
        for match in pattern.finditer(text):
            if not _is_amount(text, match, 1):
                return True, spans
    return False, spans


def _password_value(word: str, link: str | None, value: str) -> bool:
    """Tell whether what follows a password word looks like the password itself."""
    value = value.rstrip(_TRAILING_PUNCT) or value
    if not value.strip(_MASK_CHARS):
        return False  # a password field shown as stars on a screenshot: masked
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    if link is not None and link.strip():
        # "password: x!", "pwd=abc", "is hunter": anything but ordinary English words.
        return len(value) >= 3 and value.casefold() not in _NOT_PASSWORDS
    if has_digit or (has_symbol and len(value) >= 4):
        return len(value) >= 4
    # Latin letters right after a Chinese password word are the value.
    return not word.isascii() and len(value) >= 4 and value.casefold() not in _NOT_PASSWORDS


def find_secrets(text: str, *, expecting_number: bool = False) -> set[Secret]:
    """Return the kinds of secrets the text seems to contain.

    ``expecting_number`` is set while the bot asks for an amount, so a bare number is an
    amount there, not a code (a number next to a code word is still a code).
    """
    text = unicodedata.normalize("NFKC", text)
    found: set[Secret] = set()
    for match in _ID_NUMBER.finditer(text):
        if id_number_ok(match.group(1)):
            found.add(Secret.ID_NUMBER)
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and Secret.ID_NUMBER not in found:
            found.add(Secret.CARD_NUMBER)
    code, code_spans = _has_code(text)
    if code or (not expecting_number and _BARE_CODE.match(text)):
        found.add(Secret.SMS_CODE)
    for match in _PASSWORD.finditer(text):
        start = match.start("word")
        if any(a <= start < b for a, b in code_spans):
            continue  # a password word inside a code word ("one-time password") names a code
        if _password_value(match.group("word"), match.group("link"), match.group("value")):
            found.add(Secret.PASSWORD)
            break
    return found


def mask(value: str, keep: int = 4) -> str:
    """Mask all but the last ``keep`` characters of an account or order number."""
    value = value.strip()
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
