from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models import ContentType, ModerationReason, ModerationStatus

CONTENT_EXAMPLE: dict[str, Any] = {
    "id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
    "title": "Great blender",
    "body": "Crushes ice in seconds. Five stars, would buy again.",
    "content_type": "text",
    "author_id": "user-8231",
    "moderation_status": "approved",
    "moderation_score": 0.012,
    "moderation_confidence": 0.97,
    "moderation_reasons": [],
    "moderated_by": "engine",
    "moderated_at": "2026-11-23T12:00:00.140000Z",
    "language": "en",
    "tags": ["review", "kitchen"],
    "metadata": {"product_id": "B00123"},
    "created_at": "2026-11-23T12:00:00Z",
    "updated_at": "2026-11-23T12:00:00.140000Z",
    "open_reports": 0,
    "appealed_at": None,
    "claimed_by": None,
    "claimed_until": None,
}


class ContentResponse(BaseModel):
    """A stored item and its current moderation state."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [CONTENT_EXAMPLE]}
    )

    id: UUID
    title: str
    body: str
    content_type: ContentType
    author_id: str
    moderation_status: ModerationStatus
    moderation_score: float | None
    moderation_confidence: float | None
    moderation_reasons: list[ModerationReason]
    moderated_by: str | None
    moderated_at: datetime | None
    language: str | None
    tags: list[str]
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime | None
    open_reports: int = Field(0, description="User reports waiting for a reviewer's decision.")
    appealed_at: datetime | None = Field(None, description="When its open appeal was filed.")
    claimed_by: str | None = Field(None, description="The reviewer whose claim runs, if any.")
    claimed_until: datetime | None = Field(None, description="When that claim lapses.")
