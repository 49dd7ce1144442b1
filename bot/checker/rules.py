"""The checker's red flags as data: a closed schema for flows/checker.yaml, loaded once."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from bot.engine.loader import FLOWS_DIR, FlowError, read_model
from bot.engine.schema import Closed, Id, Key
from bot.i18n import Translator

CHECKER_FILE = FLOWS_DIR / "checker.yaml"


class Kind(Closed):
    """A known scam: its name and the truth about it (message keys), and what to do when a
    message only looks like it, where the general advice (check with JD yourself) does not fit."""

    id: Id
    name: Key
    truth: Key
    advice: Key | None = None


class Signal(Closed):
    """Words that mark a red flag; ``kind`` ties it to a known scam (None: generic pressure)."""

    id: Id
    kind: Id | None = None
    weight: float = Field(gt=0, le=10)
    terms: tuple[str, ...] = Field(min_length=1)


class Thresholds(Closed):
    """Verdict thresholds on the summed weights of the flags found."""

    scam: float = Field(gt=0)
    suspicious: float = Field(gt=0)
    spam: float = Field(gt=0)


class Spam(Closed):
    """Advertising words."""

    terms: tuple[str, ...] = Field(min_length=1)


class Rules(Closed):
    """The whole checker file."""

    version: Literal[1]
    warning_words: tuple[str, ...]
    warning_window: int = Field(ge=0, le=40)
    warning_markers: tuple[str, ...] = ()
    warning_factor: float = Field(default=1.0, ge=0, le=1)
    thresholds: Thresholds
    kinds: tuple[Kind, ...] = Field(min_length=1)
    signals: tuple[Signal, ...] = Field(min_length=1)
    spam: Spam
    official_domains: tuple[str, ...]
    brand_words: tuple[str, ...]

    def kind(self, kind_id: str) -> Kind:
        """Return a kind by id."""
        return next(k for k in self.kinds if k.id == kind_id)

    def message_keys(self) -> set[str]:
        """Return every message key the rules refer to."""
        return {key for k in self.kinds for key in (k.name, k.truth, k.advice) if key}


def check_rules(rules: Rules, translator: Translator | None = None) -> list[str]:
    """Return every consistency problem of parsed rules (empty when sound)."""
    problems: list[str] = []
    kinds = [k.id for k in rules.kinds]
    problems += [f"duplicate kind {k!r}" for k in sorted({k for k in kinds if kinds.count(k) > 1})]
    ids = [s.id for s in rules.signals]
    problems += [f"duplicate signal {s!r}" for s in sorted({s for s in ids if ids.count(s) > 1})]
    for signal in rules.signals:
        if signal.kind is not None and signal.kind not in kinds:
            problems.append(f"signal {signal.id}: unknown kind {signal.kind!r}")
        problems += [f"signal {signal.id}: empty term" for t in signal.terms if not t.strip()]
    if rules.thresholds.suspicious >= rules.thresholds.scam:
        problems.append("the suspicious threshold must be below the scam threshold")
    if translator is not None:
        for locale, keys in translator.keys.items():
            problems += [f"message key {k!r} is missing in {locale}"
                         for k in sorted(rules.message_keys() - keys)]
    return problems


def load_rules(translator: Translator | None = None, path: Path = CHECKER_FILE) -> Rules:
    """Parse and validate the checker rules, raising FlowError with every problem at once."""
    rules = read_model(path, Rules)
    problems = check_rules(rules, translator)
    if problems:
        raise FlowError(f"{path.name}: " + "; ".join(problems))
    return rules
