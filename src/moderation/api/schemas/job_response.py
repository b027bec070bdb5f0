from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models import Job, JobKind, JobStatus

JOB_EXAMPLE: dict[str, Any] = {
    "id": "5d1c7b0e-8a43-4a38-9f0e-2a7c1b9d4e21",
    "kind": "import",
    "status": "running",
    "total": 100000,
    "processed": 42500,
    "failed": 12,
    "progress": 0.425,
    "params": {"file": "5d1c7b0e-8a43-4a38-9f0e-2a7c1b9d4e21.jsonl", "format": "jsonl"},
    "result": {
        "created": 42488,
        "skipped": 0,
        "errors": [
            {"record": 17, "line": 18, "error": "body: String should have at least 1 character"}
        ],
    },
    "error": None,
    "cancel_requested": False,
    "created_at": "2026-11-24T09:00:00Z",
    "started_at": "2026-11-24T09:00:01Z",
    "finished_at": None,
    "created_by": "key:9a3e6a0c-51f4-4a4f-8a3c-0d3c1f6e7b42",
}


class JobResponse(BaseModel):
    """A long-running job and its progress; poll it until `status` is final."""

    model_config = ConfigDict(json_schema_extra={"examples": [JOB_EXAMPLE]})

    id: UUID
    kind: JobKind
    status: JobStatus = Field(
        description="queued → running → succeeded | failed | cancelled",
    )
    total: int | None = Field(description="Records to handle; null until the job has started.")
    processed: int = Field(description="Records handled so far (including failed ones).")
    failed: int = Field(description="Records that could not be imported (see result.errors).")
    progress: float | None = Field(description="processed / total, from 0 to 1.")
    params: dict[str, Any]
    result: dict[str, Any] = Field(
        description="Import: created, skipped, the first 20 errors (each with its record "
        "number, the line it starts on and why it was not imported). Rescore: changed, "
        "unchanged, kept_human (reviewer decisions, never replaced)."
    )
    error: str | None = Field(
        description="Why the job failed: the error's kind, never the data it was about."
    )
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    created_by: str

    @classmethod
    def of(cls, job: Job) -> "JobResponse":
        progress = None
        if job.total is not None:
            progress = 1.0 if job.total == 0 else min(1.0, job.processed / job.total)
        return cls(
            id=job.id,
            kind=job.kind,
            status=job.status,
            total=job.total,
            processed=job.processed,
            failed=job.failed_count,
            progress=progress,
            params=job.params,
            result=job.result,
            error=job.error,
            cancel_requested=job.cancel_requested,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            created_by=job.created_by,
        )
