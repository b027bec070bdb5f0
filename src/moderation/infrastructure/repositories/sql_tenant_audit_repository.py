from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import TenantAuditEntry
from moderation.infrastructure.database.tables import TenantAuditRow


class SqlTenantAuditRepository:
    """`tenant_audit`: inserts and reads only (the database refuses updates and deletes)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: TenantAuditEntry) -> None:
        self._session.add(TenantAuditRow(**entry.model_dump()))
        await self._session.flush()

    async def list(
        self, tenant_id: UUID, *, action: str | None = None, limit: int = 100
    ) -> list[TenantAuditEntry]:
        query = select(TenantAuditRow).where(TenantAuditRow.tenant_id == tenant_id)
        if action is not None:
            query = query.where(TenantAuditRow.action == action)
        rows = (
            await self._session.scalars(
                query.order_by(TenantAuditRow.created_at.desc(), TenantAuditRow.id).limit(limit)
            )
        ).all()
        return [TenantAuditEntry.model_validate(row) for row in rows]
