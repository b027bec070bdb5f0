from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import AppealStatus, ContentAppeal


class AppealRepository(Protocol):
    """Authors' appeals, scoped by tenant."""

    async def add_open(self, appeal: ContentAppeal) -> bool:
        """Store `appeal` unless the item has an open appeal already (also under a concurrent
        insert); True when stored."""
        ...

    async def get(self, tenant_id: UUID, appeal_id: UUID) -> ContentAppeal | None: ...
    async def open_for(self, tenant_id: UUID, content_id: UUID) -> ContentAppeal | None: ...
    async def list_for_content(self, tenant_id: UUID, content_id: UUID) -> list[ContentAppeal]:
        """Every appeal on the item, newest first."""
        ...

    async def decide(
        self,
        tenant_id: UUID,
        appeal_id: UUID,
        status: AppealStatus,
        by: str,
        at: datetime,
        notes: str | None,
    ) -> bool:
        """Close the appeal if it is still open (compare-and-set); True when this call did."""
        ...
