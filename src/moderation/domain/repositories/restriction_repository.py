from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import RestrictionRecord


class RestrictionRepository(Protocol):
    """Decisions that restricted content (rejections), read back for statements of reasons."""

    async def page(
        self,
        tenant_id: UUID,
        start: datetime,
        end: datetime,
        *,
        after: tuple[datetime, UUID] | None,
        limit: int,
    ) -> list[RestrictionRecord]:
        """Rejections made in [start, end), oldest first, after the (time, entry id) cursor."""
        ...
