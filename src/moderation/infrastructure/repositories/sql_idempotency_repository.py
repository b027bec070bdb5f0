from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import IdempotencyRecord
from moderation.infrastructure.database.tables import IdempotencyRow


class SqlIdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, tenant_id: UUID, key: str) -> IdempotencyRecord | None:
        row = await self._session.get(IdempotencyRow, (tenant_id, key))
        if row is None:
            return None
        return IdempotencyRecord(
            tenant_id=row.tenant_id,
            key=row.key,
            request_hash=row.request_hash,
            status_code=row.status_code,
            response=row.response,
            created_at=row.created_at,
        )

    async def add(self, record: IdempotencyRecord) -> None:
        self._session.add(IdempotencyRow(**record.model_dump(mode="python")))
        await self._session.flush()
