from typing import Protocol
from uuid import UUID

from moderation.domain.models import TenantAuditEntry


class TenantAuditRepository(Protocol):
    """The append-only log of tenant-level actions."""

    async def add(self, entry: TenantAuditEntry) -> None: ...

    async def list(
        self, tenant_id: UUID, *, action: str | None = None, limit: int = 100
    ) -> list[TenantAuditEntry]:
        """The newest entries first, only those of `action` when given."""
        ...
