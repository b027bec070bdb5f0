from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.job_kind import JobKind
from moderation.domain.models.job_status import JobStatus


class Job(BaseModel):
    """A long-running, resumable unit of work of one tenant (an import, a rescore).

    `processed` counts input records handled (created, skipped or failed); `cursor` is where a
    resumed run continues (a position in an import file, the last content id rescored), and
    is committed with each batch's changes, so a run that dies repeats no committed batch.
    """

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    tenant_id: UUID
    kind: JobKind
    status: JobStatus = JobStatus.QUEUED
    total: int | None = None
    processed: int = 0
    failed_count: int = 0
    params: dict[str, Any] = Field(default_factory=dict)
    result: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    cancel_requested: bool = False
    cursor: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    created_by: str
