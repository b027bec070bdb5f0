from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import ApiKey, Scope
from moderation.infrastructure.database.tables import ApiKeyRow


class SqlApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, key: ApiKey) -> None:
        self._session.add(
            ApiKeyRow(
                id=key.id,
                tenant_id=key.tenant_id,
                name=key.name,
                prefix=key.prefix,
                key_hash=key.key_hash,
                scopes=sorted(str(scope) for scope in key.scopes),
                created_at=key.created_at,
                revoked_at=key.revoked_at,
            )
        )
        await self._session.flush()

    async def get_by_prefix(self, prefix: str) -> ApiKey | None:
        row = await self._session.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))
        return _to_domain(row) if row else None

    async def list_for_tenant(self, tenant_id: UUID) -> list[ApiKey]:
        rows = await self._session.scalars(
            select(ApiKeyRow).where(ApiKeyRow.tenant_id == tenant_id).order_by(ApiKeyRow.created_at)
        )
        return [_to_domain(row) for row in rows]

    async def revoke(self, key_id: UUID, at: datetime) -> bool:
        result = await self._session.execute(
            update(ApiKeyRow)
            .where(ApiKeyRow.id == key_id, ApiKeyRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(getattr(result, "rowcount", 0))


def _to_domain(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        prefix=row.prefix,
        key_hash=row.key_hash,
        scopes=frozenset(Scope(s) for s in row.scopes if s in Scope._value2member_map_),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )
