import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from moderation.core.exceptions import ConflictError, NotFoundError
from moderation.domain.models import Job, JobKind, JobStatus, ModerationStatus, Principal
from moderation.domain.repositories import JobRepository


class JobService:
    """Submitting, reading and cancelling a tenant's long-running jobs.

    Submitting only records the job: its task is sent after the transaction commits (and, if
    that send is lost, by the sweeper), so a job exists exactly when its request succeeded.
    """

    def __init__(self, jobs: JobRepository) -> None:
        self._jobs = jobs

    async def submit_import(
        self, principal: Principal, job_id: UUID, *, file: str, file_format: str, size: int
    ) -> Job:
        """An import of the uploaded file `file` (already stored under the job's id)."""
        params = {"file": file, "format": file_format, "bytes": size}
        return await self._submit(
            principal.tenant_id, JobKind.IMPORT, params, principal.actor, job_id
        )

    async def submit_rescore(
        self,
        tenant_id: UUID,
        actor: str,
        *,
        status: ModerationStatus | None,
        kind: JobKind = JobKind.RESCORE,
        batch_size: int | None = None,
    ) -> Job:
        """Re-run the engine on the tenant's items (all, or those in `status`)."""
        params: dict[str, Any] = {"status": str(status) if status else None}
        if batch_size is not None:
            params["batch_size"] = batch_size
        return await self._submit(tenant_id, kind, params, actor, uuid.uuid4())

    async def get(self, principal: Principal, job_id: UUID) -> Job:
        job = await self._jobs.get(principal.tenant_id, job_id)
        if job is None:
            raise NotFoundError(f"job {job_id} not found")
        return job

    async def page(self, principal: Principal, *, page: int, size: int) -> tuple[list[Job], int]:
        return await self._jobs.page(principal.tenant_id, limit=size, offset=(page - 1) * size)

    async def cancel(self, principal: Principal, job_id: UUID) -> Job:
        """Cancel a queued job now, a running one at its next batch. Cancelling a cancelled job
        changes nothing; a finished one cannot be cancelled (409)."""
        job = await self.get(principal, job_id)
        if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            raise ConflictError(f"job {job_id} already {job.status}")
        if job.status != JobStatus.CANCELLED:
            await self._jobs.request_cancel(job_id, datetime.now(UTC))
        return await self.get(principal, job_id)

    async def _submit(
        self, tenant_id: UUID, kind: JobKind, params: dict[str, Any], actor: str, job_id: UUID
    ) -> Job:
        job = Job(
            id=job_id,
            tenant_id=tenant_id,
            kind=kind,
            params=params,
            created_at=datetime.now(UTC),
            created_by=actor,
        )
        await self._jobs.add(job)
        return job
