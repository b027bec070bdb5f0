"""One scorer on one held-out (source, category)."""

from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.vocabulary.category import Category


class LosoScore(BaseModel):
    """One scorer on one (held-out source, category): trained without that source."""

    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="constants")

    scorer: str
    source: str
    category: Category
    n: int
    positives: int
    roc_auc: float
    f1: float
    threshold: float
    trained: bool = Field(
        default=True,
        description="False when the scorer gave every test text one score (no training "
        "source labelled both classes).",
    )
