from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from moderation.ml.vocabulary.category import Category


class ProbabilityCalibrator:
    """Per-category logistic map from k raw scores to a probability (Platt when k = 1).

    With k = 2 it also stacks the fast and semantic tiers. Fitted on held-back data, with
    sample weights that re-balance each category to a realistic prior: training mixes have
    30-55 % positives, and uncalibrated heads then flag everyday text.
    """

    def __init__(
        self,
        categories: Sequence[Category],
        coef: NDArray[np.float32],
        bias: NDArray[np.float32],
    ) -> None:
        self.categories = list(categories)
        self.coef = coef.astype(np.float32)
        self.bias = bias.astype(np.float32)

    @property
    def n_inputs(self) -> int:
        return int(self.coef.shape[1])

    def probabilities(self, *scores: NDArray[np.float32]) -> NDArray[np.float32]:
        """`scores`: k arrays of shape (n, n_categories); returns (n, n_categories)."""
        if len(scores) != self.n_inputs:
            raise ValueError(f"expected {self.n_inputs} score arrays, got {len(scores)}")
        z = np.zeros_like(scores[0], dtype=np.float32) + self.bias
        for j, s in enumerate(scores):
            z += s * self.coef[:, j]
        probabilities: NDArray[np.float32] = (
            1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        ).astype(np.float32)
        return probabilities

    @classmethod
    def fit(
        cls,
        categories: Sequence[Category],
        scores: Sequence[NDArray[np.float32]],
        labels: NDArray[np.float32],
        priors: Mapping[Category, float],
    ) -> "ProbabilityCalibrator":
        """Fit on held-back rows; `labels` is (n, n_categories) with NaN where unknown."""
        # Training only: imported here so that scoring never loads scikit-learn.
        from sklearn.linear_model import LogisticRegression

        k = len(scores)
        coef = np.zeros((len(categories), k), dtype=np.float32)
        bias = np.zeros(len(categories), dtype=np.float32)
        for c, category in enumerate(categories):
            known = ~np.isnan(labels[:, c])
            y = labels[known, c].astype(int)
            inputs = np.stack([s[known, c] for s in scores], axis=1)
            if y.size == 0 or y.min() == y.max():
                coef[c, 0] = 1.0
                continue
            rate = float(y.mean())
            prior = priors.get(category, rate)
            weights = np.where(y == 1, prior / rate, (1.0 - prior) / (1.0 - rate))
            model = LogisticRegression(C=10.0, max_iter=1000)
            model.fit(inputs, y, sample_weight=weights)
            coef[c] = model.coef_[0]
            bias[c] = model.intercept_[0]
        return cls(categories, coef, bias)
