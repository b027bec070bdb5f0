from pydantic import BaseModel, ConfigDict

from moderation.domain.models.category import Category
from moderation.domain.models.decision import Decision
from moderation.domain.models.moderation_reason import ModerationReason


class PolicyVerdict(BaseModel):
    """What a policy concluded for one text."""

    model_config = ConfigDict(frozen=True)

    decision: Decision
    reasons: list[ModerationReason]
    triggered: list[Category]
    score: float
