"""Fit the message checker's classifier on the corpus's train split and ship it as JSON.

    .venv/bin/python scripts/train_checker.py            # writes bot/checker/model.json
                                                          # and bot/checker/examples.json

Positives are lines labelled scam or suspicious; negatives ham and spam. The test split is never
read here (it is for bench/checker_bench.py only). Features come from bot.checker.model.features
so that training and scoring see the same numbers; the fit is scikit-learn's logistic
regression, exported as plain numbers (no pickle).
"""

from __future__ import annotations

import argparse
import json
import math
import unicodedata
from collections import Counter
from pathlib import Path

from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from bot.checker.model import MODEL_FILE, features, grams
from bot.checker.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "messages.jsonl"
EXAMPLES_FILE = ROOT / "bot" / "checker" / "examples.json"
POSITIVE = {"scam", "suspicious"}


def load(split: str) -> list[dict[str, str]]:
    """Return the corpus lines of one split."""
    lines = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines() if x.strip()]
    return [x for x in lines if x["split"] == split]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-features", type=int, default=20000)
    parser.add_argument("--c", type=float, default=16.0)  # chosen by 5-fold CV on train
    args = parser.parse_args()
    train = load("train")
    plains = [normalize(x["text"]).plain for x in train]
    words = [unicodedata.normalize("NFKC", x["text"]) for x in train]
    labels = [1 if x["label"] in POSITIVE else 0 for x in train]
    df: Counter[str] = Counter()
    for plain, text in zip(plains, words, strict=True):
        df.update(set(grams(plain, text)))
    kept = [g for g, n in df.most_common(args.max_features) if n >= 2]
    n_docs = len(plains)
    idf = {g: math.log((1 + n_docs) / (1 + df[g])) + 1.0 for g in kept}
    index = {g: i for i, g in enumerate(kept)}
    rows, cols, vals = [], [], []
    for r, (plain, text) in enumerate(zip(plains, words, strict=True)):
        for g, w in features(plain, idf, text).items():
            rows.append(r)
            cols.append(index[g])
            vals.append(w)
    matrix = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(kept)))
    model = LogisticRegression(C=args.c, class_weight="balanced", max_iter=2000)
    model.fit(matrix, labels)
    coef = model.coef_[0]
    vocab = {g: [round(idf[g], 6), round(float(coef[index[g]]), 6)] for g in kept
             if abs(coef[index[g]]) > 1e-6}
    MODEL_FILE.write_text(json.dumps({
        "version": 1,
        "trained_on": f"{CORPUS.relative_to(ROOT)} split=train ({n_docs} lines)",
        "intercept": round(float(model.intercept_[0]), 6),
        "vocab": vocab,
    }, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    examples = sorted({x["text"] for x in train if x["label"] == "scam"})
    EXAMPLES_FILE.write_text(json.dumps(examples, ensure_ascii=False, indent=0),
                             encoding="utf-8")
    accuracy = model.score(matrix, labels)
    print(f"trained on {n_docs} lines ({sum(labels)} positive), {len(vocab)} n-grams kept; "
          f"train accuracy {accuracy:.3f}; {len(examples)} scam examples")


if __name__ == "__main__":
    main()
