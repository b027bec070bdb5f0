from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import Tenant
from moderation.infrastructure.database.tables import TenantRow


class SqlTenantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, tenant: Tenant) -> None:
        self._session.add(TenantRow(id=tenant.id, name=tenant.name, created_at=tenant.created_at))
        await self._session.flush()

    async def get(self, tenant_id: UUID) -> Tenant | None:
        row = await self._session.get(TenantRow, tenant_id)
        return Tenant.model_validate(row) if row else None

    async def get_by_name(self, name: str) -> Tenant | None:
        row = await self._session.scalar(select(TenantRow).where(TenantRow.name == name))
        return Tenant.model_validate(row) if row else None

    async def all(self) -> list[Tenant]:
        rows = await self._session.scalars(select(TenantRow).order_by(TenantRow.name))
        return [Tenant.model_validate(row) for row in rows]
