from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import AuditEntry, ContentItem


class AuditRepository(Protocol):
    """The append-only decision log: there is no update and no delete."""

    async def add(self, entry: AuditEntry) -> None: ...
    async def add_many(self, entries: Sequence[AuditEntry]) -> None: ...
    async def list_for_content(self, tenant_id: UUID, content_id: UUID) -> list[AuditEntry]: ...
    async def latest_human_decisions(
        self,
        tenant_id: UUID,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        after: UUID | None = None,
        limit: int,
    ) -> list[tuple[AuditEntry, ContentItem]]:
        """Each item's latest reviewer decision made before `until` (exclusive), when it was
        made at or after `since`, with the item as it is now. One page of at most `limit`, in
        content id order, of the items after `after` (the last page's last item id)."""
        ...
