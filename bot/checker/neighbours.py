"""Messages the checker knows: the nearest labelled messages vote, by meaning and by wording.

The classifier (bot/checker/model.py) draws one straight line through its features; a scam
script that a handful of lines in the corpus share sits in its own small corner of that space,
which the line cannot fence off without misplacing others. The nearest neighbours can: the ten
labelled messages whose embeddings are closest to the one checked vote, each weighed by how
close it is, and so do the ten whose n-gram TF-IDF rows (the classifier's own features) are
closest. A second small logistic regression (the model file's ``stack``), fitted on
out-of-fold figures of the train split, combines the classifier's log-odds and the two votes.
On train CV (5 folds, 7,841 lines) the stacked probability's F1 went from 0.917 (log-odds
alone) to 0.935 with the vote by meaning and 0.941 with both.

The index holds the train split's embeddings and TF-IDF rows with their labels, shipped as
``neighbours.npz`` (int8 embeddings, float16 weights, read with ``allow_pickle=False``: loading
runs no code); each checker adds the scams admins confirm from reports to its own copy.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

NEIGHBOURS_FILE = Path(__file__).resolve().parent / "neighbours.npz"
# Chosen on train CV (5 folds, 7,841 lines): F1 of the stacked probability 0.929 with k=5 and an
# unweighted vote, 0.935 with k=10 weighted by exp(50 x similarity), 0.937 at 100, 0.936 at 200.
K = 10
TEMPERATURE = 50.0
# The nearest by wording (the classifier's n-gram TF-IDF, cosine) vote too: F1 0.935 -> 0.941
# on the same folds, with exp(20 x similarity) (0.939 / 0.940 / 0.941 / 0.940 at 0 / 10 / 20
# / 50).
WORD_TEMPERATURE = 20.0
_SCALE = 127.0  # embeddings are L2-normalised: every coordinate fits in int8 at this scale


def quantize(vectors: NDArray[np.float32]) -> NDArray[np.int8]:
    """The int8 form the index is stored in (and searched as, for the same numbers)."""
    scaled: NDArray[np.float32] = np.clip(np.rint(vectors * _SCALE), -127, 127)
    return scaled.astype(np.int8)


class Neighbours:
    """Labelled messages (never changed: ``added`` makes a new index), each as its embedding
    and as the classifier's n-gram TF-IDF; ``vote`` and ``word_vote`` are the weighted share of
    scam among a message's nearest by meaning and by wording."""

    def __init__(self, vectors: NDArray[np.int8], positive: NDArray[np.bool_],
                 words: Words | None = None) -> None:
        if vectors.ndim != 2 or len(vectors) != len(positive):
            raise ValueError("neighbours: one label per embedding")
        if words is not None and words.rows != len(positive):
            raise ValueError("neighbours: one label per wording")
        self._data = (vectors.astype(np.float32) / _SCALE, positive.astype(np.float32))
        self.words = words

    @classmethod
    def from_vectors(cls, vectors: Sequence[Sequence[float]], positive: Sequence[bool],
                     grams: Sequence[Mapping[str, float]] | None = None) -> Neighbours:
        """An index of these embeddings (stored, like the shipped one, as int8) and, with
        ``grams``, of these TF-IDF rows (the classifier's ``features`` of each message)."""
        return cls(quantize(np.asarray(vectors, dtype=np.float32)),
                   np.asarray(positive, dtype=np.bool_),
                   None if grams is None else Words.from_rows(grams))

    @classmethod
    def load(cls, path: Path = NEIGHBOURS_FILE) -> Neighbours | None:
        """The shipped index; None when there is none (the classifier then votes alone)."""
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            words = (Words(data["grams"], data["indptr"], data["indices"],
                           data["weights"].astype(np.float32))
                     if "grams" in data.files else None)
            return cls(data["vectors"], data["positive"], words)

    def save(self, path: Path = NEIGHBOURS_FILE) -> None:
        """Write the index (training does)."""
        vectors, positive = self._data
        extra: dict[str, Any] = {}
        if self.words is not None:
            extra = {"grams": self.words.grams, "indptr": self.words.indptr,
                     "indices": self.words.indices,
                     "weights": self.words.weights.astype(np.float16)}
        np.savez_compressed(path, vectors=quantize(vectors), positive=positive > 0.5, **extra)

    def __len__(self) -> int:
        return len(self._data[1])

    def vote(self, vector: Sequence[float], exclude: int | None = None) -> float:
        """Share of scam among the K nearest by meaning, each weighed by exp(TEMPERATURE x
        similarity) (``exclude``: leave out the index's own copy of the message, for
        out-of-fold figures)."""
        vectors, positive = self._data
        return _vote(vectors @ np.asarray(vector, dtype=np.float32), positive, TEMPERATURE,
                     exclude)

    def word_vote(self, grams: Mapping[str, float], exclude: int | None = None) -> float:
        """The same by wording: cosine of the TF-IDF rows (0.5 without a wording index, or
        when no known n-gram is shared)."""
        if self.words is None:
            return 0.5
        return _vote(self.words.similarities(grams), self._data[1], WORD_TEMPERATURE, exclude)

    def added(self, vectors: Sequence[Sequence[float]], positive: bool,
              grams: Sequence[Mapping[str, float]] = ()) -> Neighbours:
        """A new index with these messages added under one label (a scam an admin confirmed);
        this one is left as it is, so a check running meanwhile reads a whole index."""
        old, labels = self._data
        rows = quantize(np.asarray(vectors, dtype=np.float32).reshape(-1, old.shape[1]))
        words = self.words
        if words is not None:
            words = words.added(list(grams) or [{} for _ in range(len(rows))])
        return Neighbours(np.vstack([quantize(old), rows]),
                          np.concatenate([labels > 0.5, np.full(len(rows), positive)]), words)


def _vote(sims: NDArray[np.float32], positive: NDArray[np.float32], temperature: float,
          exclude: int | None) -> float:
    if exclude is not None:
        sims = sims.copy()
        sims[exclude] = -np.inf
    k = min(K, len(sims) - (exclude is not None))
    if k <= 0:
        return 0.5
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[sims[top] > 0.0]  # a line with nothing in common has no say
    if not len(top):
        return 0.5  # nothing in common with any of them: no opinion
    weights = np.exp(temperature * (sims[top] - sims[top].max()))
    return float(weights @ positive[top] / weights.sum())


class Words:
    """TF-IDF rows of the labelled messages (CSR: ``indptr``, ``indices`` into ``grams``,
    ``weights``), searched through a by-n-gram copy built on load."""

    def __init__(self, grams: NDArray[np.str_], indptr: NDArray[np.int64],
                 indices: NDArray[np.int32], weights: NDArray[np.float32]) -> None:
        self.grams, self.indptr, self.indices, self.weights = grams, indptr, indices, weights
        self.rows = len(indptr) - 1
        self.column = {str(g): i for i, g in enumerate(grams.tolist())}
        # Which rows hold each n-gram, and with what weight (CSC), for a search by n-gram.
        row_of = np.repeat(np.arange(self.rows, dtype=np.int32), np.diff(indptr))
        order = np.argsort(indices, kind="stable")
        self._rows, self._weights = row_of[order], weights[order]
        self._start = np.searchsorted(indices[order], np.arange(len(grams) + 1))

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, float]]) -> Words:
        grams = sorted({g for row in rows for g in row})
        column = {g: i for i, g in enumerate(grams)}
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indices: list[int] = []
        weights: list[float] = []
        for r, row in enumerate(rows):
            for g, w in sorted(row.items()):
                indices.append(column[g])
                weights.append(w)
            indptr[r + 1] = len(indices)
        # Stored as float16: the same numbers are searched here as after a save and load.
        return cls(np.array(grams, dtype=np.str_), indptr, np.array(indices, dtype=np.int32),
                   np.array(weights, dtype=np.float16).astype(np.float32))

    def similarities(self, grams: Mapping[str, float]) -> NDArray[np.float32]:
        """Cosine of a TF-IDF row with every stored row."""
        rows: list[NDArray[np.int32]] = []
        products: list[NDArray[np.float32]] = []
        for g, w in grams.items():
            c = self.column.get(g)
            if c is not None:
                start, stop = self._start[c], self._start[c + 1]
                rows.append(self._rows[start:stop])
                products.append(self._weights[start:stop] * np.float32(w))
        if not rows:
            return np.zeros(self.rows, dtype=np.float32)
        sims: NDArray[np.float32] = np.bincount(
            np.concatenate(rows), np.concatenate(products), minlength=self.rows
        ).astype(np.float32)
        return sims

    def added(self, rows: Sequence[Mapping[str, float]]) -> Words:
        """These rows appended (their n-grams outside the stored ones are left out)."""
        indices = [self.indices]
        weights = [self.weights]
        indptr = list(self.indptr.tolist())
        for row in rows:
            kept = sorted((self.column[g], w) for g, w in row.items() if g in self.column)
            indices.append(np.array([c for c, _ in kept], dtype=np.int32))
            weights.append(np.array([w for _, w in kept], dtype=np.float16).astype(np.float32))
            indptr.append(indptr[-1] + len(kept))
        return Words(self.grams, np.array(indptr, dtype=np.int64), np.concatenate(indices),
                     np.concatenate(weights))


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
