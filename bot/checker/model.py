"""A small statistical scam classifier: logistic regression over character n-gram TF-IDF, the
rules' marks and the message's sentence embedding (bot/checker/semantic.py).

Trained by ``scripts/train_checker.py`` on the train split of ``corpus/messages.jsonl`` and
shipped as JSON (n-gram -> idf and weight, one weight per embedding dimension): loading it runs
no code, unlike a pickle. The same ``features`` function is used to train and to score, so both
see exactly the same numbers.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).resolve().parent / "model.json"
# Scam messages of the corpus's train split: the first confirmed examples to match against.
EXAMPLES_FILE = Path(__file__).resolve().parent / "examples.json"
NGRAMS = (1, 2, 3)
_WORD = re.compile(r"[a-z][a-z0-9']+")


def grams(plain: str, words: str = "", marks: Iterable[str] = ()) -> Counter[str]:
    """Count the character n-grams of a normalised text, and its words and word pairs
    (``words``: the text lower-cased with separators kept, for English), plus ``marks``: what
    the checker's rules found (``f:<signal>``, ``m:warning``), so the fit weighs them too."""
    out: Counter[str] = Counter(marks)
    for n in NGRAMS:
        for i in range(len(plain) - n + 1):
            gram = plain[i:i + n]
            # One or two Latin letters say only that the text is English (most English lines
            # of the corpus are scams); its words below carry the meaning. Chosen on train CV
            # (3 fold splits, 1,068 lines: F1 0.922 -> 0.925, disguised recall 0.888 -> 0.902).
            if n < 3 and gram.isascii() and gram.isalpha():
                continue
            out[gram] += 1
    tokens = _WORD.findall(words.lower())
    for i, token in enumerate(tokens):
        out["w:" + token] += 1
        if i:
            out["w:" + tokens[i - 1] + " " + token] += 1
    return out


def features(plain: str, idf: dict[str, float], words: str = "",
             marks: Iterable[str] = ()) -> dict[str, float]:
    """Sublinear TF-IDF of the known n-grams (and marks), L2-normalised."""
    weights = {g: (1.0 + math.log(c)) * idf[g] for g, c in grams(plain, words, marks).items()
               if g in idf}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {g: w / norm for g, w in weights.items()}


@dataclass(frozen=True)
class Stack:
    """Weights of the classifier's log-odds and of the neighbours' votes, by meaning and by
    wording, and an intercept: a second logistic regression over the three."""

    logit: float
    vote: float
    words: float
    intercept: float


@dataclass(frozen=True)
class Model:
    """The shipped classifier: probability that a message is a scam or suspicious."""

    idf: dict[str, float]
    coef: dict[str, float]
    intercept: float
    # Weights of the sentence embedding's dimensions (empty: the model reads n-grams only).
    semantic: tuple[float, ...] = ()
    # How the log-odds above and the nearest neighbours' votes (bot/checker/neighbours.py) are
    # combined (None: the log-odds alone).
    stack: Stack | None = None

    def logit(self, plain: str, words: str = "", marks: Iterable[str] = (),
              row: dict[str, float] | None = None) -> float:
        """The n-grams' and marks' part of the log-odds (without the embedding's); ``row``: the
        message's ``features``, when the caller has them already."""
        if row is None:
            row = features(plain, self.idf, words, marks)
        return self.intercept + sum(w * self.coef.get(g, 0.0) for g, w in row.items())

    def features(self, plain: str, words: str = "", marks: Iterable[str] = ()) -> dict[str, float]:
        """The message's TF-IDF row over this model's n-grams (the wording neighbours use it)."""
        return features(plain, self.idf, words, marks)

    def log_odds(self, plain: str, words: str = "", marks: Iterable[str] = (),
                 vector: Sequence[float] | None = None,
                 row: dict[str, float] | None = None) -> float:
        """The n-grams', marks' and (with embedding weights) the embedding's log-odds."""
        z = self.logit(plain, words, marks, row)
        if self.semantic and vector is not None:
            z += sum(w * x for w, x in zip(self.semantic, vector, strict=True))
        return z

    def probability(self, plain: str, words: str = "", marks: Iterable[str] = (),
                    vector: Sequence[float] | None = None,
                    votes: tuple[float, float] | None = None,
                    row: dict[str, float] | None = None) -> float:
        """Return P(scam or suspicious) for a normalised text (its words, the rules' marks and,
        when the model has embedding weights, the message's embedding ``vector``), combined
        with its nearest neighbours' ``votes`` (by meaning, by wording) when the model has a
        ``stack``. ``row``: the message's ``features``, when the caller has them already."""
        z = self.log_odds(plain, words, marks, vector, row)
        if self.stack is not None and votes is not None:
            s = self.stack
            z = s.logit * z + s.vote * votes[0] + s.words * votes[1] + s.intercept
        return sigmoid(z)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model | None:
        """Load the model file; None when there is none (the checker then uses its rules)."""
        if not path.exists():
            return None
        return cls.from_content(json.loads(path.read_text(encoding="utf-8")))

    @classmethod
    def from_content(cls, raw: dict[str, Any]) -> Model:
        """The model a model file holds (as scripts/train_checker.py writes it)."""
        vocab: dict[str, list[float]] = raw["vocab"]
        semantic, stack = raw.get("semantic"), raw.get("stack")
        return cls({g: v[0] for g, v in vocab.items()}, {g: v[1] for g, v in vocab.items()},
                   float(raw["intercept"]),
                   tuple(float(w) for w in semantic["coef"]) if semantic else (),
                   Stack(float(stack["logit"]), float(stack["vote"]),
                         float(stack.get("words", 0.0)), float(stack["intercept"]))
                   if stack else None)


def sigmoid(z: float) -> float:
    """The logistic function, safe for any z."""
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def load_examples(path: Path = EXAMPLES_FILE) -> list[str]:
    """Return the shipped scam examples (empty when there are none)."""
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [str(x) for x in data]
