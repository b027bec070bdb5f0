from pydantic import BaseModel, ConfigDict, Field

from moderation.api.schemas.author_action_response import AuthorActionResponse
from moderation.api.schemas.content_response import CONTENT_EXAMPLE, ContentResponse


class AuthorHistoryResponse(BaseModel):
    """An author's record in the tenant: items per status, the reasons their items were
    rejected or flagged for, reports against them and their appeals."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "author_id": "user-77",
                    "items": 12,
                    "by_status": {"approved": 9, "rejected": 2, "flagged": 1},
                    "rejected_by_reason": {"harassment": 2},
                    "flagged_by_reason": {"profanity": 1},
                    "reports": 3,
                    "open_reports": 1,
                    "appeals": {"overturned": 1},
                    "recent": [{**CONTENT_EXAMPLE, "author_id": "user-77"}],
                    "strikes": {"harassment": 2},
                    "actions": [],
                }
            ]
        },
    )

    author_id: str
    items: int
    by_status: dict[str, int]
    rejected_by_reason: dict[str, int] = Field(
        description="Currently rejected items per reason (an item counts once per reason)."
    )
    flagged_by_reason: dict[str, int]
    reports: int = Field(description="Reports ever filed on the author's items.")
    open_reports: int
    appeals: dict[str, int] = Field(description="The author's appeals per status.")
    recent: list[ContentResponse] = Field(description="The newest items, newest first.")
    strikes: dict[str, int] = Field(
        default_factory=dict,
        description="Active strikes per reason (one per rejected item and reason; an "
        "overturned or re-decided rejection loses its strikes).",
    )
    actions: list[AuthorActionResponse] = Field(
        default_factory=list, description="Actions strike rules recommended, newest first."
    )
