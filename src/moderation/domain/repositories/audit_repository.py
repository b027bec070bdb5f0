from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from moderation.domain.models import AuditEntry


class AuditRepository(Protocol):
    """The append-only decision log: there is no update and no delete."""

    async def add(self, entry: AuditEntry) -> None: ...
    async def add_many(self, entries: Sequence[AuditEntry]) -> None: ...
    async def list_for_content(self, tenant_id: UUID, content_id: UUID) -> list[AuditEntry]: ...
