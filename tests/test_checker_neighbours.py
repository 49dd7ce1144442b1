"""The checker's nearest neighbours by meaning: how they vote, that the index loads safely and
grows with confirmed scams, and that the shipped model combines their vote with its own."""

from __future__ import annotations

import json
import math
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from bot.checker.engine import Checker, marks
from bot.checker.model import Model, Stack, load_examples, sigmoid
from bot.checker.neighbours import (
    NEIGHBOURS_FILE,
    K,
    Neighbours,
    Words,
    quantize,
    shared_neighbours,
)
from bot.checker.rules import load_rules
from bot.checker.semantic import DIMENSIONS, shared_encoder

ROOT = Path(__file__).resolve().parent.parent
MODEL = Model.load()


def unit(*xs: float) -> list[float]:
    v = np.array(xs, dtype=np.float32)
    return (v / np.linalg.norm(v)).tolist()


def test_the_nearest_vote_and_the_nearest_weigh_most() -> None:
    scams = [unit(1, 0.05 * i, 0) for i in range(6)]
    others = [unit(0.05 * i, 1, 0) for i in range(6)]  # the mirror image of the scams
    index = Neighbours.from_vectors(scams + others, [True] * 6 + [False] * 6)
    assert len(index) == 12
    assert index.vote(unit(1, 0.02, 0)) > 0.99
    assert index.vote(unit(0.02, 1, 0)) < 0.01
    # Halfway, the slightly nearer side carries the vote (exp(50 x similarity) weights).
    assert index.vote(unit(1, 0.9, 0)) > 0.5 > index.vote(unit(0.9, 1, 0))


def test_a_message_does_not_vote_for_itself() -> None:
    index = Neighbours.from_vectors([unit(1, 0), unit(0.2, 1), unit(0, 1)], [True, False, False])
    assert index.vote(unit(1, 0)) > 0.5  # its own copy is the nearest
    assert index.vote(unit(1, 0), exclude=0) == 0.0  # left out, only the others vote


def test_a_small_or_empty_index() -> None:
    few = Neighbours.from_vectors([unit(1, 0)], [True])
    assert K > 1 and few.vote(unit(0.1, 1)) == 1.0  # fewer lines than K: all of them vote
    assert few.vote(unit(1, 0), exclude=0) == 0.5  # nobody left: no opinion
    with pytest.raises(ValueError, match="one label per embedding"):
        Neighbours(quantize(np.zeros((2, 3), dtype=np.float32)), np.array([True]))


def test_the_index_round_trips_without_pickle(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    rows = rng.normal(size=(40, DIMENSIONS)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    grams = [{f"g{j}": float(rng.random()) for j in rng.choice(30, 5, replace=False)}
             for _ in range(40)]
    index = Neighbours.from_vectors(rows.tolist(), (rng.random(40) > 0.5).tolist(), grams)
    path = tmp_path / "n.npz"
    index.save(path)
    again = Neighbours.load(path)
    assert again is not None and len(again) == 40 and again.words is not None
    probe = rows[7] * 0.9 + rows[8] * 0.1
    assert again.vote(probe.tolist()) == index.vote(probe.tolist())
    assert again.word_vote(grams[3]) == index.word_vote(grams[3])
    assert Neighbours.load(tmp_path / "missing.npz") is None
    # An object array (what a pickle would carry) is refused, not run.
    np.savez(tmp_path / "bad.npz", vectors=np.array([object()], dtype=object),
             positive=np.array([True]))
    with pytest.raises(ValueError):
        Neighbours.load(tmp_path / "bad.npz")


def test_wording_similarity_is_the_cosine_of_the_rows() -> None:
    rows = [{"a": 0.6, "b": 0.8}, {"b": 1.0}, {"c": 0.6, "d": 0.8}, {}]
    words = Words.from_rows(rows)
    sims = words.similarities({"a": 0.8, "b": 0.6, "zz": 5.0})  # an unknown n-gram counts 0
    # Weights are kept as float16, so the cosines are to about three digits.
    assert np.allclose(sims, [0.96, 0.6, 0.0, 0.0], atol=2e-3)
    assert not words.similarities({"zz": 1.0}).any()
    index = Neighbours.from_vectors([unit(1, 0)] * 4, [True, False, False, False], rows)
    assert index.word_vote({"a": 1.0}) == 1.0  # only the first row shares an n-gram
    assert index.word_vote({"b": 1.0}) < 0.5  # the second, all "b", is nearest
    assert index.word_vote({"zz": 1.0}) == 0.5  # nothing in common: no opinion
    assert index.word_vote({"a": 1.0}, exclude=0) == 0.5
    grown = index.added([unit(1, 0)], True, [{"c": 1.0, "new": 1.0}])
    assert grown.words is not None and grown.words.rows == 5
    assert grown.word_vote({"c": 1.0}) > index.word_vote({"c": 1.0})
    # Without a wording index, the wording has no opinion.
    assert Neighbours.from_vectors([unit(1, 0)], [True]).word_vote({"a": 1.0}) == 0.5


def test_adding_makes_a_new_index() -> None:
    index = Neighbours.from_vectors([unit(0, 1), unit(0.1, 1)], [False, False])
    grown = index.added([unit(1, 0)], positive=True)
    assert len(index) == 2 and len(grown) == 3
    assert index.vote(unit(1, 0.1)) == 0.0 and grown.vote(unit(1, 0.1)) > 0.99


def test_the_model_combines_its_odds_with_the_votes() -> None:
    raw = {"vocab": {"转账": [1.0, 2.0]}, "intercept": -1.0,
           "stack": {"logit": 0.5, "vote": 3.0, "words": 1.5, "intercept": -2.0}}
    model = Model.from_content(raw)
    assert model.stack == Stack(0.5, 3.0, 1.5, -2.0)
    z = model.log_odds("转账")
    assert math.isclose(model.probability("转账"), sigmoid(z))  # no votes: its own odds
    assert math.isclose(model.probability("转账", votes=(1.0, 0.4)),
                        sigmoid(0.5 * z + 3.0 * 1.0 + 1.5 * 0.4 - 2.0))
    assert model.probability("转账", votes=(1.0, 0.5)) > model.probability("转账", votes=(0.0, 0.5))
    assert Model.from_content({"vocab": {}, "intercept": 0.0}).stack is None
    assert model.features("转账") == {"转账": 1.0}


def test_the_shipped_index_is_the_train_split() -> None:
    lines = [json.loads(x) for x in
             (ROOT / "corpus" / "messages.jsonl").read_text(encoding="utf-8").splitlines()]
    train = [x for x in lines if x["split"] == "train"]
    index = shared_neighbours()
    assert index is not None and len(index) == len(train) and NEIGHBOURS_FILE.exists()
    assert index.words is not None and index.words.rows == len(train)
    shipped = json.loads((ROOT / "bot" / "checker" / "model.json").read_text(encoding="utf-8"))
    assert shipped["stack"]["vote"] > 0 and shipped["stack"]["logit"] > 0
    assert shipped["stack"]["words"] > 0
    assert MODEL is not None and MODEL.stack is not None
    # A checker with that model asks the shipped index by itself.
    assert Checker(load_rules(), MODEL).neighbours is index
    # Each train line's own copy is its nearest: its vote leans to its label.
    enc = shared_encoder()
    for x in (train[0], next(x for x in train if x["label"] == "ham")):
        vote = index.vote(enc.vector(x["text"]))
        assert (vote > 0.5) == (x["label"] in ("scam", "suspicious"))
        checker = Checker(load_rules(), MODEL)
        norm, flags, warning = checker.signals(x["text"])
        row = MODEL.features(norm.plain, unicodedata.normalize("NFKC", x["text"]),
                             marks(flags, warning))
        assert (index.word_vote(row) > 0.5) == (x["label"] in ("scam", "suspicious"))


def test_a_confirmed_scam_becomes_a_neighbour() -> None:
    """An admin confirms a reported scam: a reworded copy of it now has a scam neighbour."""
    checker = Checker(load_rules(), MODEL, load_examples())
    assert checker.neighbours is not None
    before = len(checker.neighbours)
    text = "Grandpa, it's Leo. I crashed a friend's scooter in Lisbon, please wire 900 euros."
    reworded = "Grandad it's me Leo, I wrecked my mate's scooter in Lisbon, wire me 900 euros pls"
    probe = shared_encoder().vector(reworded)
    vote_before = checker.neighbours.vote(probe)
    before_p = checker.check(reworded).probability
    checker.add_confirmed([text])
    assert len(checker.neighbours) == before + 1
    assert checker.neighbours.vote(probe) > vote_before
    after_p = checker.check(reworded).probability
    assert before_p is not None and after_p is not None and after_p > before_p
    assert before == len(shared_neighbours() or ())  # the shipped examples are not added again
    assert len(shared_neighbours() or ()) == before  # the shipped index is left as it is
    checker.add_confirmed([text])  # the same message twice is one example
    assert len(checker.neighbours) == before + 1
