"""Normalise a message once, the way scammers disguise it: width, script, spacing, homophones.

``plain`` keeps only letters and digits (Chinese characters, ASCII) after NFKC and Traditional ->
Simplified conversion (OpenCC), so spaced, dotted, full-width or Traditional spellings of a word
read the same. ``sounds`` spells each Chinese character in toneless pinyin (pypinyin) and keeps
ASCII as it is, so a word half written in pinyin, or a homophone, matches on sound (examples in
tests/test_checker.py). Every position maps back to the original text, so a match can be quoted
as the user wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc
from pypinyin import Style, lazy_pinyin

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def traditional_to_simplified(text: str) -> str:
    """Return ``text`` with Traditional characters written as Simplified ones."""
    return str(_t2s().convert(text))


@dataclass(frozen=True)
class Normalized:
    """A message in comparable forms, with maps back to the original text."""

    original: str
    plain: str
    plain_pos: tuple[int, ...]  # plain[i] came from original[plain_pos[i]]
    sounds: str
    # For each offset of ``sounds``: the plain index a match may start (or end) at, or -1
    # inside a Chinese syllable (a match must not split a character's sound).
    sound_start: tuple[int, ...]
    sound_end: tuple[int, ...]

    def quote(self, start: int, end: int) -> str:
        """Return the original text behind plain[start:end]."""
        if start >= end:
            return ""
        return self.original[self.plain_pos[start]:self.plain_pos[end - 1] + 1].strip()

    def sound_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a match sounds[start:end] to a plain span, if it keeps syllables whole."""
        first, last = self.sound_start[start], self.sound_end[end]
        return None if first < 0 or last < 0 else (first, last)


def normalize(text: str) -> Normalized:
    """Return the comparable forms of ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for out in unicodedata.normalize("NFKC", ch).lower():
            chars.append(out)
            origin.append(i)
    simplified = _t2s().convert("".join(chars))
    if len(simplified) != len(chars):  # t2s maps character for character; be safe anyway
        simplified = "".join(chars)
    plain_chars: list[str] = []
    plain_pos: list[int] = []
    for ch, pos in zip(simplified, origin, strict=True):
        if (ch.isascii() and ch.isalnum()) or _CJK.match(ch):
            plain_chars.append(ch)
            plain_pos.append(pos)
    plain = "".join(plain_chars)
    sounds: list[str] = []
    start_map: list[int] = []
    end_map: list[int] = [0]
    for i, ch in enumerate(plain):
        if _CJK.match(ch):
            syllable = lazy_pinyin(ch, style=Style.NORMAL)[0]
            start_map += [i] + [-1] * (len(syllable) - 1)
            end_map += [-1] * (len(syllable) - 1) + [i + 1]
        else:
            syllable = ch
            start_map.append(i)
            end_map.append(i + 1)
        sounds.append(syllable)
    start_map.append(len(plain))
    return Normalized(text, plain, tuple(plain_pos), "".join(sounds), tuple(start_map),
                      tuple(end_map))


def spell(term: str) -> str:
    """Return a term's sound (as in ``Normalized.sounds``)."""
    return normalize(term).sounds
