from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import AuditEntry
from moderation.infrastructure.database.tables import AuditRow


class SqlAuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: AuditEntry) -> None:
        self._session.add(AuditRow(**entry.model_dump(mode="python")))
        await self._session.flush()

    async def add_many(self, entries: Sequence[AuditEntry]) -> None:
        """Several entries in one flush (one multi-row INSERT): a worker's batch of decisions."""
        if not entries:
            return
        self._session.add_all(AuditRow(**entry.model_dump(mode="python")) for entry in entries)
        await self._session.flush()

    async def list_for_content(self, tenant_id: UUID, content_id: UUID) -> list[AuditEntry]:
        rows = await self._session.scalars(
            select(AuditRow)
            .where(AuditRow.tenant_id == tenant_id, AuditRow.content_id == content_id)
            .order_by(AuditRow.created_at, AuditRow.id)
        )
        return [AuditEntry.model_validate(row) for row in rows]
