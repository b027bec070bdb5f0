from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models import ModerationReason


class ModerateContentRequest(BaseModel):
    """A reviewer's decision on one item."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"status": "rejected", "reasons": ["harassment"], "notes": "Targets another user."}
            ]
        },
    )

    # `pending` is the engine's queue, not a verdict: the schema says so, rather than the service.
    status: Literal["approved", "flagged", "rejected"] = Field(
        description="approved, flagged or rejected."
    )
    reasons: list[ModerationReason] = Field(default_factory=list, max_length=8)
    notes: str | None = Field(default=None, max_length=1000)
