from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import ContentItem, ContentStats, ModerationStatus, Page


class ContentRepository(Protocol):
    """Tenant-scoped content storage: every read takes the tenant, so no query can cross it."""

    async def add(self, item: ContentItem, *, due_at: datetime | None) -> None: ...
    async def add_new(self, items: list[ContentItem], *, due_at: datetime | None) -> list[UUID]:
        """Store those of `items` not stored yet (by id); returns the ids stored."""
        ...

    async def get(self, tenant_id: UUID, content_id: UUID) -> ContentItem | None: ...
    async def get_many(self, tenant_id: UUID, ids: list[UUID]) -> list[ContentItem]: ...
    async def save_decision(
        self, item: ContentItem, *, only_if_status: ModerationStatus | None = None
    ) -> bool:
        """Store the item's decision; with `only_if_status`, only if the stored status still
        is that one (compare-and-set). True when the row changed."""
        ...

    async def search(
        self,
        tenant_id: UUID,
        *,
        status: ModerationStatus | None,
        author_id: str | None,
        tag: str | None,
        page: int,
        size: int,
        oldest_first: bool = False,
    ) -> Page[ContentItem]: ...
    async def stats(self, tenant_id: UUID) -> ContentStats: ...
    async def claim_due(
        self, now: datetime, limit: int, lease_until: datetime, *, unclaimed: bool = False
    ) -> list[ContentItem]:
        """Pending items whose next attempt is due (with `unclaimed`, also those never claimed
        yet), leased until `lease_until`."""
        ...

    async def claim(self, ids: list[UUID], lease_until: datetime) -> list[ContentItem]:
        """Those of `ids` still pending, leased until `lease_until` (a task was sent for them)."""
        ...

    async def mark_overdue(self, before: datetime, limit: int, until: datetime) -> list[UUID]:
        """Pending items due before `before` whose task may be lost, pushed to `until`."""
        ...

    async def page_after(
        self,
        tenant_id: UUID,
        *,
        status: ModerationStatus | None,
        after: UUID | None,
        limit: int,
    ) -> list[ContentItem]: ...
    async def count(self, tenant_id: UUID, *, status: ModerationStatus | None) -> int: ...
    async def defer(self, content_id: UUID, until: datetime, error: str) -> None: ...
    async def attempts(self, content_id: UUID) -> int:
        """How many times the item was claimed for the engine (backoff of its retries)."""
        ...

    async def pending_count(self, tenant_id: UUID | None = None) -> int:
        """Items waiting for the engine: all tenants' together, or `tenant_id`'s only."""
        ...
