from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import Job, JobKind, JobStatus
from moderation.infrastructure.database.tables import JobRow
from moderation.infrastructure.database.tracked_session import effects_of

_UNFINISHED = (str(JobStatus.QUEUED), str(JobStatus.RUNNING))


class SqlJobRepository:
    """Jobs on SQLite or PostgreSQL."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, job: Job) -> None:
        self._session.add(
            JobRow(
                id=job.id,
                tenant_id=job.tenant_id,
                kind=str(job.kind),
                status=str(job.status),
                total=job.total,
                processed=job.processed,
                failed_count=job.failed_count,
                params=dict(job.params),
                result=dict(job.result),
                error=job.error,
                cancel_requested=job.cancel_requested,
                cursor=job.cursor,
                lease_until=None,
                enqueued_at=job.created_at,
                created_at=job.created_at,
                started_at=job.started_at,
                finished_at=job.finished_at,
                created_by=job.created_by,
            )
        )
        await self._session.flush()
        effects_of(self._session).job_queued(job.id)

    async def get(self, tenant_id: UUID, job_id: UUID) -> Job | None:
        row = await self._session.scalar(
            select(JobRow).where(JobRow.tenant_id == tenant_id, JobRow.id == job_id)
        )
        return _to_domain(row) if row else None

    async def find(self, job_id: UUID) -> Job | None:
        row = await self._session.get(JobRow, job_id, populate_existing=True)
        return _to_domain(row) if row else None

    async def find_many(self, job_ids: Sequence[UUID]) -> list[Job]:
        if not job_ids:
            return []
        rows = await self._session.scalars(select(JobRow).where(JobRow.id.in_(list(job_ids))))
        return [_to_domain(row) for row in rows]

    async def page(self, tenant_id: UUID, *, limit: int, offset: int) -> tuple[list[Job], int]:
        total = await self._session.scalar(
            select(func.count()).select_from(JobRow).where(JobRow.tenant_id == tenant_id)
        )
        rows = await self._session.scalars(
            select(JobRow)
            .where(JobRow.tenant_id == tenant_id)
            .order_by(JobRow.created_at.desc(), JobRow.id)
            .limit(limit)
            .offset(offset)
        )
        return [_to_domain(row) for row in rows], total or 0

    async def claim(self, job_id: UUID, now: datetime, lease_until: datetime) -> Job | None:
        row = await self._session.scalar(
            select(JobRow)
            .where(
                JobRow.id == job_id,
                JobRow.status.in_(_UNFINISHED),
                or_(JobRow.lease_until.is_(None), JobRow.lease_until < now),
            )
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        row.status = str(JobStatus.RUNNING)
        row.started_at = row.started_at or now
        row.lease_until = lease_until
        await self._session.flush()
        return _to_domain(row)

    async def record_progress(
        self,
        job_id: UUID,
        *,
        total: int | None,
        processed: int,
        failed_count: int,
        cursor: str | None,
        result: dict[str, Any],
        lease_until: datetime,
    ) -> bool:
        row = await self._session.get(JobRow, job_id, with_for_update=True, populate_existing=True)
        if row is None:
            return True
        row.total = total
        row.processed = processed
        row.failed_count = failed_count
        row.cursor = cursor
        row.result = dict(result)
        row.lease_until = lease_until
        await self._session.flush()
        return row.cancel_requested

    async def release(self, job_id: UUID) -> None:
        await self._session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == str(JobStatus.RUNNING))
            .values(lease_until=None)
        )

    async def finish(
        self, job_id: UUID, status: JobStatus, now: datetime, *, error: str | None = None
    ) -> bool:
        changed = await self._session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status.in_(_UNFINISHED))
            .values(
                status=str(status),
                finished_at=now,
                lease_until=None,
                error=error[:4000] if error else None,
            )
        )
        return bool(getattr(changed, "rowcount", 0))

    async def request_cancel(self, job_id: UUID, now: datetime) -> None:
        await self._session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == str(JobStatus.QUEUED))
            .values(
                status=str(JobStatus.CANCELLED),
                cancel_requested=True,
                finished_at=now,
                lease_until=None,
            )
        )
        await self._session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == str(JobStatus.RUNNING))
            .values(cancel_requested=True)
        )

    async def requeue(self, job_id: UUID) -> bool:
        changed = await self._session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == str(JobStatus.FAILED))
            .values(status=str(JobStatus.QUEUED), error=None, finished_at=None, lease_until=None)
        )
        return bool(getattr(changed, "rowcount", 0))

    async def mark_overdue(self, now: datetime, before: datetime, limit: int) -> list[UUID]:
        rows = list(
            await self._session.scalars(
                select(JobRow)
                .where(
                    JobRow.status.in_(_UNFINISHED),
                    or_(JobRow.lease_until.is_(None), JobRow.lease_until < now),
                    func.coalesce(JobRow.enqueued_at, JobRow.created_at) < before,
                )
                .order_by(JobRow.created_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.enqueued_at = now
        await self._session.flush()
        return [row.id for row in rows]


def _to_domain(row: JobRow) -> Job:
    return Job(
        id=row.id,
        tenant_id=row.tenant_id,
        kind=JobKind(row.kind),
        status=JobStatus(row.status),
        total=row.total,
        processed=row.processed,
        failed_count=row.failed_count,
        params=row.params,
        result=row.result,
        error=row.error,
        cancel_requested=row.cancel_requested,
        cursor=row.cursor,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        created_by=row.created_by,
    )
