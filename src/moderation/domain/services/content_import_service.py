import uuid
from datetime import UTC, datetime
from uuid import UUID

from moderation.domain.models import ContentItem, DomainEvent, NewContent
from moderation.domain.repositories import ContentRepository, EventRepository


class ContentImportService:
    """Stores imported items in bulk, each pending and announced with `ContentCreated`.

    Ids are chosen by the caller (derived from the job and the line): importing a batch a second
    time finds its items and creates nothing.
    """

    def __init__(self, content: ContentRepository, events: EventRepository) -> None:
        self._content = content
        self._events = events

    async def add_batch(self, tenant_id: UUID, rows: list[tuple[UUID, NewContent]]) -> int:
        """Store the rows not stored yet; returns how many were created."""
        if not rows:
            return 0
        now = datetime.now(UTC)
        candidates = [
            ContentItem(
                id=content_id,
                tenant_id=tenant_id,
                author_id=new.author_id,
                title=new.title,
                body=new.body,
                content_type=new.content_type,
                language=new.language,
                tags=new.tags,
                metadata=new.metadata,
                created_at=now,
            )
            for content_id, new in rows
        ]
        stored = set(await self._content.add_new(candidates, due_at=now))
        items = [item for item in candidates if item.id in stored]
        if not items:
            return 0
        await self._events.add_many(
            [
                DomainEvent(
                    event_id=uuid.uuid4(),
                    event_type="ContentCreated",
                    tenant_id=tenant_id,
                    aggregate_id=item.id,
                    occurred_at=now,
                    payload={
                        "content_id": str(item.id),
                        "author_id": item.author_id,
                        "content_type": str(item.content_type),
                        "tags": item.tags,
                    },
                )
                for item in items
            ]
        )
        return len(items)
