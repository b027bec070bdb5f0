"""What the out-of-domain protocol needs from a trained model, whatever its kind."""

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from moderation.ml.data import LabelledText
from moderation.ml.vocabulary.category import Category


class FittedScorer(Protocol):
    """A trained scorer: per-category probabilities and the decisions it would take.

    Two real implementations sit behind this seam: the engine's fast tier as the Trainer builds
    it (`EngineScorer`) and the plain `TfidfBaseline` it must beat.
    """

    @property
    def categories(self) -> Sequence[Category]:
        """Column order of `probabilities` and `decisions`."""
        ...

    def threshold(self, category: Category) -> float:
        """Probability at which this scorer flags `category` (for F1)."""
        ...

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """(n, categories) probabilities; a NaN column where the category was never trained."""
        ...

    def decisions(self, texts: Sequence[str]) -> NDArray[np.bool_]:
        """(n, categories) flags as the scorer would act on them (rules included, if any)."""
        ...

    def char_spans(self, texts: Sequence[str]) -> list[list[int]] | None:
        """Flagged character offsets per text, or None when the scorer marks no spans."""
        ...


# (train, validation, augmentation, final) -> a trained scorer. `augmentation` holds the
# hard-negative texts of the templates not held out, to use or ignore; `final` is True for the
# one model per scorer trained on every source for the suites (it may add a span tagger).
ScorerFactory = Callable[
    [Sequence[LabelledText], Sequence[LabelledText], Sequence[LabelledText], bool], FittedScorer
]
