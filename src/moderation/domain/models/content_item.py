from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.content_type import ContentType
from moderation.domain.models.moderation_status import ModerationStatus
from moderation.ml.vocabulary.moderation_reason import ModerationReason


class ContentItem(BaseModel):
    """A piece of user content a tenant stored, with its current moderation state.

    `moderated_by` is "engine" for automatic decisions, otherwise the human actor
    ("key:<uuid>" or "user:<sub>"). The full trail lives in the audit log.
    """

    model_config = ConfigDict(from_attributes=True, validate_assignment=True)

    id: UUID
    tenant_id: UUID
    author_id: str
    title: str
    body: str
    content_type: ContentType
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    moderation_status: ModerationStatus = ModerationStatus.PENDING
    moderation_score: float | None = None
    moderation_confidence: float | None = None
    moderation_reasons: list[ModerationReason] = Field(default_factory=list)
    moderated_by: str | None = None
    moderated_at: datetime | None = None
    created_at: datetime
    updated_at: datetime | None = None
    # Where the request that stored it was traced (a W3C traceparent, opaque here), so the
    # worker's decision joins that trace. Internal: never serialised for a client.
    trace_parent: str | None = Field(default=None, exclude=True, repr=False)

    @property
    def text(self) -> str:
        """What the engine reads: the title and the body as one text."""
        return f"{self.title}\n\n{self.body}"
