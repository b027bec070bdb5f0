from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models import ReportReason


class CreateReportRequest(BaseModel):
    """A user's report on an item, sent by the platform on the user's behalf."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reporter_id": "user-5521",
                    "reason": "harassment",
                    "details": "keeps replying to me with insults",
                }
            ]
        },
    )

    reporter_id: str = Field(
        min_length=1, max_length=128, description="The reporting user, as the platform names them."
    )
    reason: ReportReason = Field(description="Why; see the list of report reasons in docs/api.md.")
    details: str | None = Field(default=None, max_length=2000)
