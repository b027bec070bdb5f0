from pydantic import BaseModel, ConfigDict, Field, model_validator

from moderation.ml.vocabulary.decision import Decision


class CategoryThresholds(BaseModel):
    """When one category's calibrated probability flags or rejects.

    The defaults are the seed's: below 0.3 approve, above 0.7 reject, review in between.
    `max_action` caps what the category alone can do, e.g. profanity that only ever flags.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = True
    flag_at: float = Field(default=0.3, ge=0.0, le=1.0)
    reject_at: float = Field(default=0.7, ge=0.0, le=1.0)
    max_action: Decision = Decision.REJECT

    @model_validator(mode="after")
    def _ordered(self) -> "CategoryThresholds":
        if self.reject_at < self.flag_at:
            raise ValueError("reject_at must be >= flag_at")
        return self

    def decide(self, probability: float) -> Decision:
        """The action this category alone asks for at `probability`."""
        if not self.enabled or probability < self.flag_at:
            return Decision.APPROVE
        wanted = Decision.REJECT if probability > self.reject_at else Decision.FLAG
        return wanted if wanted.severity <= self.max_action.severity else self.max_action
