"""Matching words (flows/patterns.yaml) behind secret spotting and amount parsing."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

PATTERNS_FILE = Path(__file__).resolve().parent.parent / "flows" / "patterns.yaml"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SecretWords(_Closed):
    """Words that mark a code or a password."""

    code_words: tuple[str, ...] = Field(min_length=1)
    password_words: tuple[str, ...] = Field(min_length=1)
    password_links: tuple[str, ...] = Field(min_length=1)
    not_passwords: tuple[str, ...] = ()


class MoneyWords(_Closed):
    """Currency words around an amount."""

    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    ten_thousand: tuple[str, ...]
    numerals: tuple[str, ...] = Field(min_length=1)
    negative: tuple[str, ...] = Field(min_length=1)


class Patterns(_Closed):
    """The whole patterns file."""

    secrets: SecretWords
    money: MoneyWords


@cache
def patterns(path: Path = PATTERNS_FILE) -> Patterns:
    """Load and validate the patterns file once."""
    return Patterns.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def alternation(words: tuple[str, ...], *, word_bounds: bool = False) -> str:
    """Build a regex alternation, longest words first; ASCII words get word bounds if asked."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        escaped = re.escape(word)
        if word_bounds and word.isascii() and word.isalnum():
            escaped = rf"\b{escaped}\b"
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"
