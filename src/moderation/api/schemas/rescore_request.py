from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models import ModerationStatus


class RescoreRequest(BaseModel):
    """Re-run the engine on the tenant's items under the current policy and model."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"status": "flagged"}, {}]},
    )

    status: ModerationStatus | None = Field(
        default=None,
        description="Only items in this status (all when omitted). Reviewer decisions are "
        "always kept; an engine decision changes only when the new result differs.",
    )
