"""The plain reference scorer every modelling choice of the engine has to beat."""

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from moderation.ml.data import LabelledText
from moderation.ml.evaluation.fitted_scorer import FittedScorer, ScorerFactory
from moderation.ml.vocabulary.category import Category


class TfidfBaseline:
    """TF-IDF word 1-2-grams + char_wb 2-5-grams, one logistic regression per category.

    Deliberately plain: raw text (scikit-learn's lower-casing only), no normalisation, identity
    masking, synthetic data or calibration, so a gap to the engine points at one of those.
    Rows whose source does not label a category are left out of that head (masked, not
    negatives), as in the Trainer. C and sample weights match the Trainer's defaults so the
    comparison is about features and data handling, not regularisation.
    """

    THRESHOLD = 0.5

    def __init__(
        self,
        categories: Sequence[Category] = tuple(Category),
        regularization: float = 4.0,
        min_df: int = 2,
        seed: int = 13,
    ) -> None:
        self._categories = tuple(categories)
        self._c = regularization
        self._seed = seed
        self._word = TfidfVectorizer(
            ngram_range=(1, 2), min_df=min_df, sublinear_tf=True, dtype=np.float32
        )
        self._char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            min_df=min_df,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self._heads: dict[Category, LogisticRegression] = {}
        self._fitted = False

    @property
    def categories(self) -> Sequence[Category]:
        return self._categories

    @property
    def trained_categories(self) -> frozenset[Category]:
        """Categories with both classes in the training rows (the others score NaN)."""
        return frozenset(self._heads)

    @classmethod
    def factory(cls, seed: int = 13) -> ScorerFactory:
        """For `OodProtocol`: fit on the train split only (the rows the engine's heads see;
        it has no calibration to spend validation on) and never on synthetic augmentation."""

        def make(
            train: Sequence[LabelledText],
            validation: Sequence[LabelledText],  # noqa: ARG001
            augmentation: Sequence[LabelledText],  # noqa: ARG001
            final: bool,  # noqa: ARG001
        ) -> FittedScorer:
            return cls(seed=seed).fit(train)

        return make

    def threshold(self, category: Category) -> float:  # noqa: ARG002 - one cut for all heads
        return self.THRESHOLD

    def fit(self, examples: Sequence[LabelledText]) -> "TfidfBaseline":
        """Fit the vectorizers on every text and each head on the rows that label it."""
        if not examples:
            raise ValueError("no training examples")
        texts = [e.text for e in examples]
        x = sp.hstack(
            [self._word.fit_transform(texts), self._char.fit_transform(texts)], format="csr"
        )
        weights = np.array([e.weight for e in examples], dtype=np.float64)
        heads: dict[Category, LogisticRegression] = {}

        def fit_head(category: Category) -> None:
            labels = np.array([e.labels.get(category, -1) for e in examples])
            known = labels >= 0
            y = labels[known]
            if y.size == 0 or y.min() == y.max():
                return
            model = LogisticRegression(
                C=self._c, solver="liblinear", max_iter=2000, random_state=self._seed
            )
            model.fit(x[known], y, sample_weight=weights[known])
            heads[category] = model

        # liblinear releases the GIL: heads train side by side, as in the Trainer.
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            list(pool.map(fit_head, self._categories))
        self._heads = {c: heads[c] for c in self._categories if c in heads}
        self._fitted = True
        return self

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        if not self._fitted:
            raise RuntimeError("fit the baseline first")
        out = np.full((len(texts), len(self._categories)), np.nan, dtype=np.float64)
        if not texts:
            return out
        x = sp.hstack(
            [self._word.transform(list(texts)), self._char.transform(list(texts))], format="csr"
        )
        for j, category in enumerate(self._categories):
            head = self._heads.get(category)
            if head is not None:
                out[:, j] = head.predict_proba(x)[:, 1]
        return out

    def decisions(self, texts: Sequence[str]) -> NDArray[np.bool_]:
        # NaN (untrained head) compares False: a category it never learned is never flagged.
        with np.errstate(invalid="ignore"):
            return np.asarray(self.probabilities(texts) >= self.THRESHOLD, dtype=np.bool_)

    def char_spans(self, texts: Sequence[str]) -> list[list[int]] | None:  # noqa: ARG002
        return None
