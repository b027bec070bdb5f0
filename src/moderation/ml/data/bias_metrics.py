"""Jigsaw unintended-bias metrics: subgroup, BPSN and BNSP ROC AUC and their power means."""

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

JIGSAW_POWER = -5.0


def bias_metrics(
    scores: Sequence[float] | NDArray[np.floating],
    labels: Sequence[int] | NDArray[np.integer],
    groups: Sequence[str | None],
    power: float = JIGSAW_POWER,
) -> dict[str, float]:
    """Per-group and summary bias metrics (Borkan et al. 2019, the Jigsaw competition metric).

    For every identity group g (examples whose `groups` entry is g; None = no identity):
    `subgroup_auc/g` ranks only texts mentioning g; `bpsn_auc/g` (background positive,
    subgroup negative) pits g's clean texts against toxic texts without g, so it drops when a
    model scores the identity term itself as toxic; `bnsp_auc/g` (background negative, subgroup
    positive) the reverse. `mean_*` are generalised means with exponent `power` over groups
    (NaN groups, lacking a class, are skipped) and `final_score` = 0.25 x (overall AUC + the
    three means), as in the Jigsaw competition.
    """
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    if not (len(s) == len(y) == len(groups)):
        raise ValueError("scores, labels and groups must have the same length")
    result: dict[str, float] = {"overall_auc": _auc(y, s)}
    per_metric: dict[str, list[float]] = {"subgroup_auc": [], "bpsn_auc": [], "bnsp_auc": []}
    for name in sorted({g for g in groups if g is not None}):
        inside = np.array([g == name for g in groups], dtype=bool)
        masks = {
            "subgroup_auc": inside,
            "bpsn_auc": (inside & (y == 0)) | (~inside & (y == 1)),
            "bnsp_auc": (inside & (y == 1)) | (~inside & (y == 0)),
        }
        for metric, mask in masks.items():
            value = _auc(y[mask], s[mask])
            result[f"{metric}/{name}"] = value
            per_metric[metric].append(value)
    for metric, values in per_metric.items():
        result[f"mean_{metric}"] = power_mean(values, power)
    result["final_score"] = 0.25 * (
        result["overall_auc"] + sum(result[f"mean_{m}"] for m in per_metric)
    )
    return result


def power_mean(values: Sequence[float], power: float = JIGSAW_POWER) -> float:
    """Generalised mean (sum v^p / n)^(1/p) of the non-NaN values; p < 0 stresses the worst."""
    v = np.asarray([x for x in values if not np.isnan(x)], dtype=np.float64)
    if v.size == 0:
        return float("nan")
    if power < 0 and np.any(v == 0):
        return 0.0
    return float(np.mean(v**power) ** (1.0 / power))


def _auc(y: NDArray[np.int64], s: NDArray[np.float64]) -> float:
    """ROC AUC via the Mann-Whitney U statistic with tied scores sharing their average rank."""
    n_pos = int(np.sum(y == 1))
    n_neg = int(y.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    average_rank = np.cumsum(counts) - (counts - 1) / 2.0
    ranks = average_rank[inverse]
    u = float(np.sum(ranks[y == 1])) - n_pos * (n_pos + 1) / 2.0
    return u / (n_pos * n_neg)
