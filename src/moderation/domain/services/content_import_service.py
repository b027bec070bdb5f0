from datetime import UTC, datetime
from uuid import UUID

from moderation.domain.models import NewContent, content_created
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
        candidates = [new.to_item(content_id, tenant_id, now) for content_id, new in rows]
        stored = set(await self._content.add_new(candidates, due_at=now))
        items = [item for item in candidates if item.id in stored]
        if not items:
            return 0
        await self._events.add_many([content_created(item) for item in items])
        return len(items)
