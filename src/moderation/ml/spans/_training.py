"""Fitting helpers for the span tagger: token labels, the linear fit, decoding search."""

from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from moderation.ml.spans._decode import decode_spans
from moderation.ml.spans._text import WordToken, tokenize
from moderation.ml.spans.char_ranges import ranges_to_offsets
from moderation.ml.spans.span_f1 import span_f1
from moderation.ml.spans.token_featurizer import TokenFeaturizer

THRESHOLDS = tuple(round(0.05 + 0.025 * i, 3) for i in range(37))
FLOORS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 1.0)


class Decoding(NamedTuple):
    """Decoding settings chosen on held-back posts, with the span F1 they reached there."""

    threshold: float
    floor: float
    join: bool
    f1: float


def token_labels(tokens: Sequence[WordToken], gold: set[int]) -> list[int]:
    """1 for a token whose characters are mostly gold toxic offsets."""
    return [
        int(2 * sum(1 for c in range(t.start, t.end) if c in gold) > t.end - t.start)
        for t in tokens
    ]


def build_dataset(
    featurizer: TokenFeaturizer, texts: Sequence[str], offsets: Sequence[Sequence[int]]
) -> tuple[sp.csr_matrix, NDArray[np.int8], list[list[WordToken]]]:
    """Hashed token features, token labels, and each text's tokens."""
    rows: list[list[str]] = []
    labels: list[int] = []
    all_tokens: list[list[WordToken]] = []
    for text, gold in zip(texts, offsets, strict=True):
        tokens = tokenize(text)
        all_tokens.append(tokens)
        rows.extend(featurizer.token_features([t.text for t in tokens]))
        labels.extend(token_labels(tokens, set(gold)))
    return featurizer.hash(rows), np.asarray(labels, dtype=np.int8), all_tokens


def fit_weights(
    x: sp.csr_matrix, y: NDArray[np.int8], c: float, seed: int
) -> tuple[NDArray[np.float32], float]:
    """L2 logistic regression; weights are rounded to float16 since that is what ships."""
    if len(np.unique(y)) < 2:
        raise ValueError("span training needs both toxic and non-toxic tokens")
    # Imported here so that scoring (which imports this module) never loads scikit-learn.
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=seed)
    model.fit(x, y)
    coef = np.asarray(model.coef_[0], dtype=np.float16).astype(np.float32)
    return coef, float(model.intercept_[0])


def token_probs(
    x: sp.csr_matrix, coef: NDArray[np.float32], intercept: float
) -> NDArray[np.float64]:
    """Sigmoid of the linear score of every row."""
    z = np.asarray(x @ coef, dtype=np.float64) + intercept
    out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
    return out


def mean_f1(
    texts: Sequence[str],
    offsets: Sequence[Sequence[int]],
    tokens: Sequence[Sequence[WordToken]],
    probs: Sequence[Sequence[float]],
    threshold: float,
    floor: float,
    join: bool,
) -> float:
    """Mean span F1 of the decoded predictions."""
    total = 0.0
    for text, gold, toks, p in zip(texts, offsets, tokens, probs, strict=True):
        ranges = decode_spans(text, toks, p, threshold, floor, join)
        total += span_f1(ranges_to_offsets(ranges), gold)
    return total / max(len(texts), 1)


def split_by_text(
    flat: NDArray[np.float64], tokens: Sequence[Sequence[WordToken]]
) -> list[list[float]]:
    """Cut a flat per-token array back into one list per text."""
    bounds = np.cumsum([0, *(len(t) for t in tokens)]).tolist()
    return [flat[a:b].tolist() for a, b in pairwise(bounds)]


def tune_decoding(
    texts: Sequence[str],
    offsets: Sequence[Sequence[int]],
    tokens: Sequence[Sequence[WordToken]],
    probs: Sequence[Sequence[float]],
) -> Decoding:
    """Grid-search threshold, then the fallback floor, then function-word joining."""
    best_thr = max(THRESHOLDS, key=lambda t: mean_f1(texts, offsets, tokens, probs, t, 1.0, False))
    best_floor = max(
        FLOORS, key=lambda f: mean_f1(texts, offsets, tokens, probs, best_thr, f, False)
    )
    scores = {
        join: mean_f1(texts, offsets, tokens, probs, best_thr, best_floor, join)
        for join in (False, True)
    }
    # Joining must strictly earn its place; ties keep the simpler decoder.
    join = scores[True] > scores[False]
    return Decoding(best_thr, best_floor, join, scores[join])
