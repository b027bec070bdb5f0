"""SemEval-2021 Task 5 span F1 over character offsets."""

from collections.abc import Iterable, Sequence


def span_f1(pred_offsets: Iterable[int], gold_offsets: Iterable[int]) -> float:
    """F1 of one post's predicted toxic character offsets against the gold ones.

    Follows the task's reference scorer: empty gold scores 1.0 only for an empty prediction,
    and an empty prediction against non-empty gold scores 0.0.
    """
    pred, gold = set(pred_offsets), set(gold_offsets)
    if not gold:
        return 1.0 if not pred else 0.0
    if not pred:
        return 0.0
    return 2 * len(pred & gold) / (len(pred) + len(gold))


def mean_span_f1(preds: Sequence[Iterable[int]], golds: Sequence[Iterable[int]]) -> float:
    """Task score: `span_f1` averaged over posts (0.0 for no posts)."""
    if len(preds) != len(golds):
        raise ValueError(f"{len(preds)} predictions for {len(golds)} gold posts")
    if not golds:
        return 0.0
    return sum(span_f1(p, g) for p, g in zip(preds, golds, strict=True)) / len(golds)
