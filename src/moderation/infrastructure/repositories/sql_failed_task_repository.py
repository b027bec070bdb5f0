from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import FailedTask
from moderation.infrastructure.database.tables import FailedTaskRow


class SqlFailedTaskRepository:
    """Dead letters on SQLite or PostgreSQL."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, task: FailedTask) -> bool:
        # The id is the task's own: a second report of the same final failure (a redelivered
        # message failing again) must not list it twice.
        if await self._session.get(FailedTaskRow, task.id) is not None:
            return False
        self._session.add(FailedTaskRow(**task.model_dump()))
        await self._session.flush()
        return True

    async def get(self, task_id: UUID) -> FailedTask | None:
        row = await self._session.get(FailedTaskRow, task_id, populate_existing=True)
        return FailedTask.model_validate(row) if row else None

    async def recent(self, *, limit: int, include_replayed: bool) -> list[FailedTask]:
        query = select(FailedTaskRow)
        if not include_replayed:
            query = query.where(FailedTaskRow.replayed_at.is_(None))
        rows = await self._session.scalars(
            query.order_by(FailedTaskRow.failed_at.desc(), FailedTaskRow.id).limit(limit)
        )
        return [FailedTask.model_validate(row) for row in rows]

    async def mark_replayed(self, task_id: UUID, now: datetime) -> None:
        await self._session.execute(
            update(FailedTaskRow).where(FailedTaskRow.id == task_id).values(replayed_at=now)
        )
