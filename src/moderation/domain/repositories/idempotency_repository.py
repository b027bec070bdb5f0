from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import IdempotencyRecord


class IdempotencyRepository(Protocol):
    async def get(self, tenant_id: UUID, key: str) -> IdempotencyRecord | None: ...
    async def add(self, record: IdempotencyRecord) -> None: ...
    async def delete_created_before(
        self, before: datetime, limit: int, *, after: tuple[UUID, str] | None = None
    ) -> list[tuple[UUID, str]]:
        """Delete up to `limit` records created before `before`, the first in (tenant id, key)
        order after `after`; returns the (tenant id, key) of those deleted, in that order. A
        caller that continues after the last of them reads the table once, however many
        batches it takes."""
        ...
