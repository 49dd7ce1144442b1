"""Fit the message checker's classifier on the corpus's train split and ship it as JSON.

    .venv/bin/python scripts/train_checker.py            # writes bot/checker/model.json,
                                                          # bot/checker/examples.json and
                                                          # bot/checker/neighbours.npz
    .venv/bin/python scripts/train_checker.py --cv        # 5-fold cross-validation of the whole
                                                          # checker on the train split; writes
                                                          # nothing
    .venv/bin/python scripts/train_checker.py --cv --seeds 8 --disguised
                                                          # pooled over 8 fold splits, on
                                                          # disguised copies of the lines

Positives are lines labelled scam or suspicious; negatives ham and spam. The test split is never
read here (it is for bench/checker_bench.py only): every choice of features, C, weights and
thresholds is made with ``--cv``, which fits the model and the example store on four fifths of
the train split and checks the other fifth with the full checker (rules, examples, model).
Features come from bot.checker.model.features so that training and scoring see the same
numbers, beside each line's sentence embedding (bot.checker.semantic, the encoder the bot runs;
embeddings are kept in .cache/semantic.npz so a refit or a CV run embeds only new lines); the
fit is scikit-learn's logistic regression, exported as plain numbers (no pickle). A second,
small logistic regression (the model file's ``stack``) combines that model's log-odds with the
votes of the nearest train lines by meaning and by wording (bot.checker.neighbours); it is fitted
on out-of-fold log-odds (five inner folds) and leave-one-out votes, so it weighs the votes as
they come out on unseen messages.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

from bot.checker.engine import Checker, Verdict
from bot.checker.model import MODEL_FILE, Model, features, grams
from bot.checker.neighbours import NEIGHBOURS_FILE, Neighbours
from bot.checker.rules import load_rules
from bot.checker.semantic import DIMENSIONS, ENCODER, semantic_text, shared_encoder

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "messages.jsonl"
EXAMPLES_FILE = ROOT / "bot" / "checker" / "examples.json"
CACHE = ROOT / ".cache" / "semantic.npz"
POSITIVE = {"scam", "suspicious"}
FOLDS = 5
# The embedding's columns beside the TF-IDF ones (both have length 1 per line). Chosen by 5-fold
# CV on the train split (5,179 lines): scale 0 (n-grams only) / 0.5 / 1 / 1.5 gave precision
# 0.917 / 0.925 / 0.921 / 0.920 and recall 0.912 / 0.926 / 0.929 / 0.930 (F1 0.915 / 0.926 /
# 0.925 / 0.925). Not kept: a separate classifier on the embeddings averaged with the n-gram one
# (4,291 lines: F1 0.923 vs 0.931 fitted together), an RBF-SVM or a small MLP on the embeddings
# blended in (6,070 lines: F1 0.923 vs 0.922).
SEMANTIC_SCALE = 1.0
# The stack's own fit (two inputs, thousands of lines: barely regularised either way).
STACK_C = 1.0


class CachedEncoder:
    """The bot's encoder with a file cache (keyed by the text it reads), for training and CV."""

    def __init__(self) -> None:
        self.known: dict[str, list[float]] = {}
        if CACHE.exists():
            with np.load(CACHE) as data:
                self.known = dict(zip(data["keys"].tolist(), data["vectors"].tolist(),
                                      strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(semantic_text(text).encode("utf-8")).hexdigest()

    def warm(self, texts: list[str]) -> None:
        """Embed the texts not in the cache yet, and save the cache."""
        todo = sorted({t for t in texts if self.key(t) not in self.known})
        if todo:
            print(f"embedding {len(todo)} lines (about {len(todo) * 0.065:.0f} s) ...",
                  file=sys.stderr)
            for text, vector in zip(todo, shared_encoder().vectors(todo), strict=True):
                self.known[self.key(text)] = list(vector)
            CACHE.parent.mkdir(exist_ok=True)
            keys = sorted(self.known)
            np.savez(CACHE, keys=np.array(keys),
                     vectors=np.array([self.known[k] for k in keys], dtype=np.float32))

    def vector(self, text: str) -> list[float]:
        found = self.known.get(self.key(text))
        return found if found is not None else list(shared_encoder().vector(text))


ENCODER_CACHE: CachedEncoder | None = None


def encoder() -> CachedEncoder:
    global ENCODER_CACHE
    if ENCODER_CACHE is None:
        ENCODER_CACHE = CachedEncoder()
    return ENCODER_CACHE


def load(split: str) -> list[dict[str, str]]:
    """Return the corpus lines of one split."""
    lines = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [x for x in lines if x["split"] == split]


def fit(train: list[dict[str, str]], c: float, max_features: int,
        use_marks: bool = True, scale: float = SEMANTIC_SCALE) -> tuple[dict[str, Any], float]:
    """Fit the classifier on some lines; return the model file's content and train accuracy.
    ``use_marks``: also feed it what the rules found in each line (bot.checker.engine.marks)."""
    read = [reading(x["text"]) for x in train]
    plains = [plain for plain, _, _ in read]
    words = [text for _, text, _ in read]
    tags = [list(found) if use_marks else [] for _, _, found in read]
    labels = [1 if x["label"] in POSITIVE else 0 for x in train]
    df: Counter[str] = Counter()
    for plain, text, tag in zip(plains, words, tags, strict=True):
        df.update(set(grams(plain, text, tag)))
    # Ties broken by the n-gram itself: the same lines give the same model whatever the hash seed.
    ranked = sorted(df.items(), key=lambda item: (-item[1], item[0]))
    kept = [g for g, n in ranked[:max_features] if n >= 2]
    n_docs = len(plains)
    idf = {g: math.log((1 + n_docs) / (1 + df[g])) + 1.0 for g in kept}
    index = {g: i for i, g in enumerate(kept)}
    rows, cols, vals = [], [], []
    for r, (plain, text, tag) in enumerate(zip(plains, words, tags, strict=True)):
        for g, w in features(plain, idf, text, tag).items():
            rows.append(r)
            cols.append(index[g])
            vals.append(w)
    matrix = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(kept)))
    # main() embedded the whole train split into the cache once; folds only look lines up.
    dense = np.array([encoder().vector(x["text"]) for x in train]) * scale
    matrix = hstack([matrix, csr_matrix(dense)]).tocsr()
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    model.fit(matrix, labels)
    coef = model.coef_[0]
    vocab = {g: [round(idf[g], 6), round(float(coef[index[g]]), 6)] for g in kept
             if abs(coef[index[g]]) > 1e-6}
    # The scale is folded into the weights: the bot multiplies them by the plain embedding.
    semantic = [round(float(w) * scale, 6) for w in coef[len(kept):]]
    assert len(semantic) == DIMENSIONS
    content = {
        "version": 2,
        "trained_on": f"{CORPUS.relative_to(ROOT)} split=train ({n_docs} lines)",
        "intercept": round(float(model.intercept_[0]), 6),
        "vocab": vocab,
        "semantic": {"encoder": ENCODER, "coef": semantic},
    }
    return content, float(model.score(matrix, labels))


@functools.cache
def rules_only() -> Checker:
    return Checker(load_rules())


@functools.cache
def reading(text: str) -> tuple[str, str, tuple[str, ...]]:
    """What the classifier reads of a line (Checker.reading), once per line however many
    folds fit on it."""
    plain, words, found = rules_only().reading(text)
    return plain, words, tuple(found)


def stack(train: list[dict[str, str]], c: float, max_features: int,
          scale: float, neighbours: Neighbours, model: Model) -> dict[str, float]:
    """Fit how the classifier's log-odds and the neighbours' votes combine: on out-of-fold
    log-odds (the model fitted on four fifths, scoring the fifth) and leave-one-out votes
    (``neighbours`` holds ``train`` in order, its wording rows are ``model``'s features)."""
    row = {id(x): i for i, x in enumerate(train)}
    odds, votes, labels = [], [], []
    parts = folds(train, "stack")
    for i, held in enumerate(parts):
        rest = [x for j, p in enumerate(parts) if j != i for x in p]
        fold_model = Model.from_content(fit(rest, c, max_features, scale=scale)[0])
        for x in held:
            n = row[id(x)]
            vector = encoder().vector(x["text"])
            odds.append(fold_model.log_odds(*reading(x["text"]), vector))
            votes.append((neighbours.vote(vector, exclude=n),
                          neighbours.word_vote(model.features(*reading(x["text"])), exclude=n)))
            labels.append(1 if x["label"] in POSITIVE else 0)
    fitted = LogisticRegression(C=STACK_C).fit(np.column_stack([odds, np.array(votes)]), labels)
    return {"logit": round(float(fitted.coef_[0][0]), 6),
            "vote": round(float(fitted.coef_[0][1]), 6),
            "words": round(float(fitted.coef_[0][2]), 6),
            "intercept": round(float(fitted.intercept_[0]), 6)}


def build(train: list[dict[str, str]], c: float, max_features: int,
          scale: float = SEMANTIC_SCALE) -> tuple[dict[str, Any], Neighbours, float]:
    """The model file's content (with its stack), the neighbours index, train accuracy."""
    content, accuracy = fit(train, c, max_features, scale=scale)
    model = Model.from_content(content)
    neighbours = Neighbours.from_vectors(
        [encoder().vector(x["text"]) for x in train], [x["label"] in POSITIVE for x in train],
        [model.features(*reading(x["text"])) for x in train])
    content["stack"] = stack(train, c, max_features, scale, neighbours, model)
    return content, neighbours, accuracy


def scam_examples(train: list[dict[str, str]]) -> list[str]:
    """The confirmed scam messages the checker matches against."""
    return sorted({x["text"] for x in train if x["label"] == "scam"})


def folds(train: list[dict[str, str]], seed: str = "") -> list[list[dict[str, str]]]:
    """Split lines into FOLDS parts, stratified by kind, by a fixed seed ("" is the default
    split; other seeds give other splits, to see how much a figure moves with the split)."""
    by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)
    for x in train:
        by_kind[x["kind"]].append(x)
    parts: list[list[dict[str, str]]] = [[] for _ in range(FOLDS)]
    n = 0
    for kind in sorted(by_kind):
        lines = sorted(by_kind[kind], key=lambda x: x["id"])
        random.Random(f"checker-cv{seed}:{kind}").shuffle(lines)
        for x in lines:
            parts[n % FOLDS].append(x)
            n += 1
    return parts


def cross_validate(train: list[dict[str, str]], c: float, max_features: int,
                   verbose: bool, seeds: int = 1, disguised: bool = False,
                   errors: bool = False, scale: float = SEMANTIC_SCALE) -> tuple[float, float]:
    """Check each fold with a checker built from the other folds; print and return P, R.
    ``seeds``: repeat with that many different fold splits and pool the counts;
    ``disguised``: check each held-out line disguised as bench/checker_bench.py does."""
    if disguised:  # the bench's own disguise (opencc, pypinyin), so CV and bench agree
        sys.path.insert(0, str(ROOT))
        from bench.checker_bench import disguise
    rules = load_rules()
    tp = fp = fn = 0
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in range(seeds):
        parts = folds(train, "" if s == 0 else str(s))
        rng = random.Random(7)
        for i, held in enumerate(parts):
            rest = [x for j, p in enumerate(parts) if j != i for x in p]
            content, neighbours, _ = build(rest, c, max_features, scale=scale)
            checker = Checker(rules, Model.from_content(content), scam_examples(rest), encoder(),
                              neighbours)
            for x in held:
                truth = x["label"] in POSITIVE
                text = disguise(x["text"], rng) if disguised else x["text"]
                said = checker.check(text).verdict in (Verdict.SCAM, Verdict.SUSPICIOUS)
                tp += truth and said
                fp += said and not truth
                fn += truth and not said
                per_kind[x["kind"]][0] += said
                per_kind[x["kind"]][1] += 1
                if errors and truth != said:
                    print(f"  {'FN' if truth else 'FP'} {x['id']} {x['kind']}: {x['text'][:90]}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    how = (f", {seeds} fold splits" if seeds > 1 else "") + (", disguised" if disguised else "")
    print(f"{FOLDS}-fold CV on train ({len(train)} lines, C={c}{how}): "
          f"precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    if verbose:
        for kind, (said, n) in sorted(per_kind.items()):
            print(f"  {kind:<22} said scam/suspicious {said}/{n}")
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    # The n-grams kept, by document frequency. 20,000 until the train split passed 12,000 lines
    # (train accuracy fell to 0.994); 5-fold CV on 12,021 lines, 20,000 -> 40,000: precision
    # 0.943 -> 0.945, recall 0.940 -> 0.944.
    parser.add_argument("--max-features", type=int, default=40000)
    parser.add_argument("--c", type=float, default=16.0)  # chosen by 5-fold CV on train
    parser.add_argument("--cv", action="store_true", help="cross-validate on train, write nothing")
    parser.add_argument("--seeds", type=int, default=1,
                        help="with --cv: pool this many different fold splits")
    parser.add_argument("--disguised", action="store_true",
                        help="with --cv: check disguised copies of the held-out lines")
    parser.add_argument("--errors", action="store_true",
                        help="with --cv: print each misjudged train line")
    parser.add_argument("--semantic-scale", type=float, default=SEMANTIC_SCALE,
                        help="weight of the sentence embedding's columns (0: n-grams only)")
    args = parser.parse_args()
    train = load("train")
    encoder().warm([x["text"] for x in train])
    if args.cv:
        cross_validate(train, args.c, args.max_features, verbose=True, seeds=args.seeds,
                       disguised=args.disguised, errors=args.errors,
                       scale=args.semantic_scale)
        return
    content, neighbours, accuracy = build(train, args.c, args.max_features,
                                          scale=args.semantic_scale)
    neighbours.save(NEIGHBOURS_FILE)
    MODEL_FILE.write_text(json.dumps(content, ensure_ascii=False, sort_keys=True),
                          encoding="utf-8")
    examples = scam_examples(train)
    EXAMPLES_FILE.write_text(json.dumps(examples, ensure_ascii=False, indent=0),
                             encoding="utf-8")
    print(f"trained on {len(train)} lines "
          f"({sum(1 for x in train if x['label'] in POSITIVE)} positive), "
          f"{len(content['vocab'])} n-grams kept; train accuracy {accuracy:.3f}; "
          f"{len(examples)} scam examples, {len(neighbours)} neighbours; "
          f"stack {content['stack']}")


if __name__ == "__main__":
    main()
