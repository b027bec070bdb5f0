from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from moderation.domain.models import Job, JobStatus


class JobRepository(Protocol):
    """Jobs and their run leases. Reads for clients are tenant-scoped; `find` is for workers."""

    async def add(self, job: Job) -> None:
        """Store a new job; its task is sent after the transaction commits."""
        ...

    async def get(self, tenant_id: UUID, job_id: UUID) -> Job | None: ...
    async def find(self, job_id: UUID) -> Job | None: ...
    async def find_many(self, job_ids: Sequence[UUID]) -> list[Job]:
        """Those of the jobs that exist, of any tenant (housekeeping of their uploads)."""
        ...

    async def page(self, tenant_id: UUID, *, limit: int, offset: int) -> tuple[list[Job], int]:
        """A page of the tenant's jobs, newest first, and how many there are in all."""
        ...

    async def claim(self, job_id: UUID, now: datetime, lease_until: datetime) -> Job | None:
        """Start or resume an unfinished job nobody holds; None when it is held or final."""
        ...

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
        """Save progress and renew the lease; True when a cancel was requested meanwhile."""
        ...

    async def release(self, job_id: UUID) -> None:
        """Give up the lease of a run that failed, so that its retry may claim it at once."""
        ...

    async def finish(
        self, job_id: UUID, status: JobStatus, now: datetime, *, error: str | None = None
    ) -> bool:
        """Move an unfinished job to a final status; False when it already was final."""
        ...

    async def request_cancel(self, job_id: UUID, now: datetime) -> None:
        """Cancel a queued job at once; ask a running one to stop at its next batch."""
        ...

    async def requeue(self, job_id: UUID) -> bool:
        """A failed job goes back to the queue (dead-letter replay); False if not failed."""
        ...

    async def mark_overdue(self, now: datetime, before: datetime, limit: int) -> list[UUID]:
        """Unfinished, unheld jobs last sent to a queue before `before`: marked sent now."""
        ...
