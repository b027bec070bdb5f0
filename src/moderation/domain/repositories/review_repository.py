from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import ContentItem, Page, QueueAssignment, QueueKind


class ReviewRepository(Protocol):
    """The review queue's state on content items: claims and open-report counts. Every
    change is one conditional statement, so concurrent reviewers cannot both win."""

    async def claim(
        self, tenant_id: UUID, content_id: UUID, actor: str, now: datetime, until: datetime
    ) -> bool:
        """Lease the item to `actor` until `until` if nobody else holds a running claim (a
        claim of `actor`'s own is renewed); True when `actor` holds it now."""
        ...

    async def release(self, tenant_id: UUID, content_id: UUID, actor: str | None) -> bool:
        """End the claim (`actor`'s only, or anyone's with None); True when one ended."""
        ...

    async def count_report(self, tenant_id: UUID, content_id: UUID, at: datetime) -> None:
        """One more open report on the item (the first one dates its place in the queue)."""
        ...

    async def clear_reports(self, tenant_id: UUID, content_id: UUID) -> None:
        """The item's open reports were resolved."""
        ...

    async def mark_appealed(self, tenant_id: UUID, content_id: UUID, at: datetime | None) -> None:
        """The item's open appeal was filed at `at` (None: it was decided)."""
        ...

    async def queue(
        self,
        tenant_id: UUID,
        *,
        kind: QueueKind,
        assignment: QueueAssignment,
        actor: str,
        now: datetime,
        page: int,
        size: int,
    ) -> Page[ContentItem]:
        """Items waiting for a reviewer, by priority: the most open reports first, then the
        highest engine score, then the oldest."""
        ...
