from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import DomainEvent
from moderation.infrastructure.database.tables import OutboxRow


class SqlEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, event: DomainEvent) -> None:
        self._session.add(OutboxRow(**event.model_dump(mode="python")))
        await self._session.flush()

    async def list_unpublished(self, limit: int) -> list[DomainEvent]:
        rows = await self._session.scalars(
            select(OutboxRow)
            .where(OutboxRow.published_at.is_(None))
            .order_by(OutboxRow.occurred_at)
            .limit(limit)
        )
        return [
            DomainEvent(
                event_id=row.event_id,
                event_type=row.event_type,
                tenant_id=row.tenant_id,
                aggregate_id=row.aggregate_id,
                occurred_at=row.occurred_at,
                version=row.version,
                payload=row.payload,
            )
            for row in rows
        ]
