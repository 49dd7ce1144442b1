"""Messages the checker knows, by meaning: the nearest labelled messages vote.

The classifier (bot/checker/model.py) draws one straight line through the embedding space; a
scam script that a handful of lines in the corpus share sits in its own small corner of that
space, which the line cannot fence off without misplacing others. The nearest neighbours can:
the ten labelled messages whose embeddings are closest to the one checked vote, each weighed by
how close it is, and the classifier's log-odds and that vote are combined by a second small
logistic regression (the model file's ``stack``), fitted on out-of-fold figures of the train
split. On train CV this lifted F1 from 0.917 to 0.935 (scripts/train_checker.py --cv).

The index holds the train split's embeddings with their labels, shipped as ``neighbours.npz``
(int8, read with ``allow_pickle=False``: loading runs no code); each checker adds the scams
admins confirm from reports to its own copy.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

NEIGHBOURS_FILE = Path(__file__).resolve().parent / "neighbours.npz"
# Chosen on train CV (5 folds, 7,841 lines): F1 of the stacked probability 0.929 with k=5 and an
# unweighted vote, 0.935 with k=10 weighted by exp(50 x similarity), 0.937 at 100, 0.936 at 200.
K = 10
TEMPERATURE = 50.0
_SCALE = 127.0  # embeddings are L2-normalised: every coordinate fits in int8 at this scale


def quantize(vectors: NDArray[np.float32]) -> NDArray[np.int8]:
    """The int8 form the index is stored in (and searched as, for the same numbers)."""
    scaled: NDArray[np.float32] = np.clip(np.rint(vectors * _SCALE), -127, 127)
    return scaled.astype(np.int8)


class Neighbours:
    """Labelled embeddings (never changed: ``added`` makes a new index); ``vote`` is the
    weighted share of scam among a message's nearest."""

    def __init__(self, vectors: NDArray[np.int8], positive: NDArray[np.bool_]) -> None:
        if vectors.ndim != 2 or len(vectors) != len(positive):
            raise ValueError("neighbours: one label per embedding")
        self._data = (vectors.astype(np.float32) / _SCALE, positive.astype(np.float32))

    @classmethod
    def from_vectors(cls, vectors: Sequence[Sequence[float]],
                     positive: Sequence[bool]) -> Neighbours:
        """An index of these embeddings (stored, like the shipped one, as int8)."""
        return cls(quantize(np.asarray(vectors, dtype=np.float32)),
                   np.asarray(positive, dtype=np.bool_))

    @classmethod
    def load(cls, path: Path = NEIGHBOURS_FILE) -> Neighbours | None:
        """The shipped index; None when there is none (the classifier then votes alone)."""
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            return cls(data["vectors"], data["positive"])

    def save(self, path: Path = NEIGHBOURS_FILE) -> None:
        """Write the index (training does)."""
        vectors, positive = self._data
        np.savez_compressed(path, vectors=quantize(vectors), positive=positive > 0.5)

    def __len__(self) -> int:
        return len(self._data[1])

    def vote(self, vector: Sequence[float], exclude: int | None = None) -> float:
        """Share of scam among the K nearest, each weighed by exp(TEMPERATURE x similarity)
        (``exclude``: leave out the index's own copy of the message, for out-of-fold figures)."""
        vectors, positive = self._data
        sims = vectors @ np.asarray(vector, dtype=np.float32)
        if exclude is not None:
            sims[exclude] = -np.inf
        k = min(K, len(sims) - (exclude is not None))
        if k <= 0:
            return 0.5
        top = np.argpartition(-sims, k - 1)[:k]
        weights = np.exp(TEMPERATURE * (sims[top] - sims[top].max()))
        return float(weights @ positive[top] / weights.sum())

    def added(self, vectors: Sequence[Sequence[float]], positive: bool) -> Neighbours:
        """A new index with these messages added under one label (a scam an admin confirmed);
        this one is left as it is, so a check running meanwhile reads a whole index."""
        old, labels = self._data
        rows = quantize(np.asarray(vectors, dtype=np.float32).reshape(-1, old.shape[1]))
        return Neighbours(np.vstack([quantize(old), rows]),
                          np.concatenate([labels > 0.5, np.full(len(rows), positive)]))


_shared: Neighbours | None = None
_shared_lock = threading.Lock()
_loaded = False


def shared_neighbours() -> Neighbours | None:
    """The shipped index, loaded once per process."""
    global _shared, _loaded
    with _shared_lock:
        if not _loaded:
            _shared, _loaded = Neighbours.load(), True
        return _shared
