"""Identity-term template texts for the Jigsaw bias metrics (EVALUATION ONLY)."""

from collections.abc import Iterator, Sequence

import numpy as np
from numpy.typing import NDArray

from moderation.ml.data._identity_groups import EVAL_GROUPS, fill
from moderation.ml.data.bias_case import BiasCase
from moderation.ml.data.bias_metrics import bias_metrics

# Neutral or positive sentences (label 0) and toxic ones (label 1), each filled with every group,
# so each group has the same sentences and only the identity term differs between groups.
NEUTRAL_FRAMES: tuple[str, ...] = (
    "Being {m} is just one part of who I am.",
    "Our new neighbours are {g} and they seem really nice.",
    "{G} enjoy music, food and sports like everyone else.",
    "The panel at the conference included several {g}.",
    "I'm {m} and I work as a nurse.",
    "Happy holidays to all the {g} celebrating this week!",
    "My best friends are {g}.",
)
TOXIC_FRAMES: tuple[str, ...] = (
    "{G} are stupid and should shut up.",
    "Get out of my country, filthy {g}.",
    "{G} ruin everything they touch.",
    "I'm {m} and you are a worthless idiot.",
    "Those damn {g} are ruining this country.",
    "{G} are disgusting pigs.",
    "Nobody wants {g} around, go die.",
)


class IdentityBiasSuite:
    """Template texts pairing each identity group with the same clean and toxic sentences.

    Score every `texts()` entry with one model head (toxicity, or the max over harm heads) and
    call `evaluate(scores)` for subgroup / BPSN / BNSP AUC per group and their p=-5 means.
    """

    def __init__(self) -> None:
        cases = [
            BiasCase(fill(frame, group), group.key, label)
            for label, frames in ((0, NEUTRAL_FRAMES), (1, TOXIC_FRAMES))
            for frame in frames
            for group in EVAL_GROUPS
        ]
        self._cases = tuple(cases)

    @property
    def cases(self) -> tuple[BiasCase, ...]:
        """Every case, in a stable order."""
        return self._cases

    def __len__(self) -> int:
        return len(self._cases)

    def __iter__(self) -> Iterator[BiasCase]:
        return iter(self._cases)

    def texts(self) -> list[str]:
        """The texts to score, aligned with `cases`."""
        return [case.text for case in self._cases]

    def labels(self) -> NDArray[np.int64]:
        """0/1 toxic labels aligned with `cases`."""
        return np.array([case.label for case in self._cases], dtype=np.int64)

    def groups(self) -> list[str]:
        """Identity group key of every case."""
        return [case.group for case in self._cases]

    def evaluate(self, scores: Sequence[float] | NDArray[np.floating]) -> dict[str, float]:
        """`bias_metrics` for scores aligned with `cases`."""
        return bias_metrics(scores, self.labels(), self.groups())

    @staticmethod
    def frames() -> frozenset[str]:
        """All template frames (to prove training data never reuses them)."""
        return frozenset(NEUTRAL_FRAMES + TOXIC_FRAMES)
