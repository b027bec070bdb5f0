from typing import Protocol
from uuid import UUID

from moderation.domain.models import IdempotencyRecord


class IdempotencyRepository(Protocol):
    async def get(self, tenant_id: UUID, key: str) -> IdempotencyRecord | None: ...
    async def add(self, record: IdempotencyRecord) -> None: ...
