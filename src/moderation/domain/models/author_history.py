from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.author_action import AuthorAction
from moderation.domain.models.content_item import ContentItem


class AuthorHistory(BaseModel):
    """What a reviewer needs to know about an author before deciding: their items by status,
    the reasons of their rejected and flagged items, reports against them and their appeals."""

    model_config = ConfigDict(frozen=True)

    author_id: str
    items: int
    by_status: dict[str, int] = Field(description="Items per current status.")
    rejected_by_reason: dict[str, int] = Field(
        description="Currently rejected items per reason (an item counts once per reason)."
    )
    flagged_by_reason: dict[str, int]
    reports: int = Field(description="Reports filed on the author's items, ever.")
    open_reports: int
    appeals: dict[str, int] = Field(description="The author's appeals per status.")
    recent: list[ContentItem] = Field(description="The newest items, newest first.")
    strikes: dict[str, int] = Field(
        default_factory=dict,
        description="Active strikes per reason (one per rejected item and reason; an "
        "overturned or re-decided rejection loses its strikes).",
    )
    actions: list[AuthorAction] = Field(
        default_factory=list, description="Actions strike rules recommended, newest first."
    )
