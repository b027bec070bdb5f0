import re
import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.content_item import ContentItem
from moderation.domain.models.content_type import ContentType
from moderation.domain.models.domain_event import DomainEvent

# What an author id may be (the API schema states the same): it is a filter value and a
# column of 128 characters.
_AUTHOR_ID = re.compile(r"[\x21-\x7e]{1,128}")


class NewContent(BaseModel):
    """What a client submits to store (already validated by the API schema)."""

    model_config = ConfigDict(frozen=True)

    title: str
    body: str
    content_type: ContentType
    # None: whoever submits it is the author (`authored_by`).
    author_id: str | None = None
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)

    def authored_by(self, actor: str) -> "NewContent":
        """This content, with `actor` as its author unless it names one itself. ValueError when
        it names none and `actor` is no valid author id (a JWT subject with spaces, say)."""
        if self.author_id is not None:
            return self
        if not _AUTHOR_ID.fullmatch(actor):
            raise ValueError("the caller's identity is not a valid author_id (printable ASCII)")
        return self.model_copy(update={"author_id": actor})

    def to_item(self, content_id: UUID, tenant_id: UUID, created_at: datetime) -> ContentItem:
        """The stored form: a pending item of `tenant_id`. Its author must be known by now."""
        if self.author_id is None:
            raise ValueError("content without an author: call authored_by first")
        return ContentItem(
            id=content_id,
            tenant_id=tenant_id,
            author_id=self.author_id,
            title=self.title,
            body=self.body,
            content_type=self.content_type,
            language=self.language,
            tags=self.tags,
            metadata=self.metadata,
            created_at=created_at,
        )


def content_created(item: ContentItem) -> DomainEvent:
    """The `ContentCreated` event announcing a newly stored item (same payload whether it came
    from the API or an import)."""
    return DomainEvent(
        event_id=uuid.uuid4(),
        event_type="ContentCreated",
        tenant_id=item.tenant_id,
        aggregate_id=item.id,
        occurred_at=item.created_at,
        payload={
            "content_id": str(item.id),
            "author_id": item.author_id,
            "content_type": str(item.content_type),
            "tags": item.tags,
        },
    )
