"""One training or validation text with the labels its source actually provides."""

from dataclasses import dataclass

from moderation.ml.vocabulary.category import Category


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A text and its 0/1 labels.

    `labels` holds ONLY the categories the source labels; a missing category is unknown and the
    trainer masks it (it is not a negative). `split` is "train" or "validation"; `weight` scales
    the example's loss (e.g. annotator agreement).
    """

    text: str
    labels: dict[Category, int]
    source: str
    split: str
    weight: float = 1.0
