"""The checker's sentence embedding: what the encoder reads, that it reads meaning, and that
the classifier weighs it."""

from __future__ import annotations

import dataclasses
import json
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.checker.engine import Checker, Verdict, marks
from bot.checker.model import Model, load_examples
from bot.checker.neighbours import shared_neighbours
from bot.checker.rules import load_rules
from bot.checker.semantic import DIMENSIONS, semantic_text, shared_encoder

ROOT = Path(__file__).resolve().parent.parent
MODEL = Model.load()


@pytest.mark.parametrize(("text", "read"), [
    ("請把錢轉到安全賬戶", "请把钱转到安全账户"),  # Traditional read as Simplified
    ("安 全 账 户", "安全账户"),  # spaced Chinese put back together
    ("安.全.账.户🙂验证码", "安全账户验证码"),  # dots and emoji
    ("ＪＤ客服　请回电", "JD客服请回电"),  # full width folded, the gap closed
    ("Hi Mum,  this is my NEW number 😊", "Hi Mum, this is my NEW number"),  # words kept apart
    (" ".join("Hi Mum, send it"), "Hi Mum, send it"),  # a space between every two letters
    (".".join("Your parcel is held"), "Your parcel is held"),  # a dot between every two
    ("Call me at 3. A b c is fine", "Call me at 3. A b c is fine"),  # ordinary text kept
])
def test_what_the_encoder_reads(text: str, read: str) -> None:
    assert semantic_text(text) == read


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_the_encoder_reads_meaning_across_scripts_and_languages() -> None:
    enc = shared_encoder()
    scam = enc.vector("您的账户涉嫌洗钱，请把资金转到安全账户接受核查")
    traditional = enc.vector("您的賬戶涉嫌洗錢，請把資金轉到安全賬戶接受核查")
    reworded = enc.vector("警官说我的银行卡被犯罪分子利用，要我把存款转进国家监管账户")
    unrelated = enc.vector("周末一起去爬山吗？天气预报说是晴天")
    english = enc.vector("Move your savings to a safe account, your bank has been compromised")
    paraphrase = enc.vector("Transfer your money to this secure account to protect it from "
                            "fraudsters")
    chat = enc.vector("Are we still going hiking on Saturday? The forecast looks sunny")
    assert len(scam) == DIMENSIONS and math.isclose(cosine(scam, scam), 1.0, rel_tol=1e-3)
    assert cosine(scam, traditional) > 0.999  # the same text once read as Simplified
    # The same scam in other words is nearer than small talk (e5's cosines sit in 0.7-1).
    assert cosine(scam, reworded) > cosine(scam, unrelated) + 0.05
    assert cosine(english, paraphrase) > cosine(english, chat) + 0.05
    # ... and nearer in the other language than small talk in the same one.
    assert cosine(english, scam) > cosine(english, chat)


def test_the_shipped_model_weighs_the_embedding() -> None:
    shipped = json.loads((ROOT / "bot" / "checker" / "model.json").read_text(encoding="utf-8"))
    assert len(shipped["semantic"]["coef"]) == DIMENSIONS
    assert MODEL is not None and len(MODEL.semantic) == DIMENSIONS
    # A checker with that model embeds by itself (the shared encoder).
    assert Checker(load_rules(), MODEL).encoder is shared_encoder()


class Counting:
    """The real encoder, counting how often it is asked."""

    def __init__(self) -> None:
        self.calls = 0

    def vector(self, text: str) -> Sequence[float]:
        self.calls += 1
        return shared_encoder().vector(text)


def test_the_embedding_moves_the_verdict() -> None:
    """The classifier reads the embedding on every check, asked or not, and what it reads
    counts: with the embedding's weights taken out, the probability of a scam line moves."""
    assert MODEL is not None
    counting = Counting()
    checker = Checker(load_rules(), MODEL, load_examples(), counting)
    text = "The platform I use is private. Put in a small amount first, just to test it."
    with_it = checker.check(text)
    checker.check(text, unprompted=True)
    assert counting.calls == 2
    without = Checker(load_rules(), dataclasses.replace(MODEL, semantic=()), load_examples())
    bare = without.check(text)
    assert with_it.probability is not None and bare.probability is not None
    assert abs(with_it.probability - bare.probability) > 0.01
    norm, flags, warning = checker.signals(text)
    vector, index = shared_encoder().vector(text), shared_neighbours()
    assert index is not None  # with the nearest messages' votes (test_checker_neighbours.py)
    words, found = unicodedata.normalize("NFKC", text), marks(flags, warning)
    assert with_it.probability == MODEL.probability(
        norm.plain, words, found, vector,
        (index.vote(vector), index.word_vote(MODEL.features(norm.plain, words, found))))
    assert with_it.verdict in (Verdict.SCAM, Verdict.SUSPICIOUS)


async def test_a_check_in_a_worker_thread_is_the_same_check() -> None:
    checker = Checker(load_rules(), MODEL, load_examples())
    for text in ("您好，我是京东金融客服，您的白条需要注销，否则影响征信。",
                 "Mum this is my new number, can you send £300 for the rent today?",
                 "晚上吃什么？"):
        assert await checker.check_in_thread(text) == checker.check(text)
