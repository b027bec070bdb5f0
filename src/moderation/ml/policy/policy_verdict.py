from pydantic import BaseModel, ConfigDict

from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.decision import Decision
from moderation.ml.vocabulary.moderation_reason import ModerationReason


class PolicyVerdict(BaseModel):
    """What a policy concluded for one text."""

    model_config = ConfigDict(frozen=True)

    decision: Decision
    reasons: list[ModerationReason]
    triggered: list[Category]
    score: float
