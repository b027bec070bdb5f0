from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.decision import Decision
from moderation.ml.vocabulary.moderation_reason import ModerationReason
from moderation.ml.vocabulary.span import Span


class ModerationResult(BaseModel):
    """The engine's verdict on one text, with everything a reviewer needs to check it."""

    model_config = ConfigDict(frozen=True, protected_namespaces=())

    scores: dict[Category, float] = Field(
        description="Calibrated probability per category, in [0, 1]."
    )
    score: float = Field(ge=0.0, le=1.0, description="Overall risk: the top enabled category.")
    confidence: float = Field(
        ge=0.0, le=1.0, description="Estimated probability that the decision is right."
    )
    decision: Decision
    reasons: list[ModerationReason]
    spans: list[Span] = Field(
        default_factory=list, description="Characters of the original text that triggered it."
    )
    language: str = Field(description="ISO 639-1 code, or 'und' when undetermined.")
    language_confidence: float = Field(ge=0.0, le=1.0)
    sentiment: float | None = Field(
        default=None,
        ge=-1.0,
        le=1.0,
        description=(
            "Context signal only (VADER compound), never a reason. None when not computed "
            "(approved texts, unless the engine runs with sentiment='always')."
        ),
    )
    tier: str = Field(description="'fast', or 'cascade' when the semantic tier was consulted.")
    truncated: bool = Field(
        default=False,
        description=(
            "True when the text was longer than the engine's limit (100,000 characters by "
            "default) and only its beginning was scored."
        ),
    )
    model_version: str
