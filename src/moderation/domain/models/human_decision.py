from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.moderation_status import ModerationStatus
from moderation.ml.vocabulary.moderation_reason import ModerationReason


class HumanDecision(BaseModel):
    """A reviewer's verdict on one item."""

    model_config = ConfigDict(frozen=True)

    status: ModerationStatus
    reasons: list[ModerationReason] = Field(default_factory=list)
    notes: str | None = None
