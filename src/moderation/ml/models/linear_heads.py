from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from moderation.ml.vocabulary.category import Category


class LinearHeads:
    """One linear classifier per category over a shared feature matrix: logits = X @ W + b."""

    def __init__(
        self,
        categories: Sequence[Category],
        weights: NDArray[np.float32],
        bias: NDArray[np.float32],
    ) -> None:
        if weights.shape[1] != len(categories) or bias.shape != (len(categories),):
            raise ValueError("weights/bias do not match the categories")
        self.categories = list(categories)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = bias.astype(np.float32)

    def logits(self, features: sp.csr_matrix | NDArray[np.float32]) -> NDArray[np.float32]:
        """(n, n_categories) raw decision values."""
        out = features @ self.weights
        return np.asarray(out, dtype=np.float32) + self.bias
