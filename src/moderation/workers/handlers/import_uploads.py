"""Import uploads on disk (up to `import_max_bytes` each): where they live, and deleting those
that no job will read again, so that cancelled, finished or abandoned imports do not fill the
data directory."""

import asyncio
import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import structlog

from moderation.core.config import Settings
from moderation.domain.models import Job, JobKind, JobStatus
from moderation.domain.services import Transactions
from moderation.workers.handlers.job_failed_error import describe

log = structlog.get_logger(__name__)

# What the API names an upload: the job's id and format, `.part` while it is being received.
_UPLOAD_NAME = re.compile(
    r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(?:jsonl|csv)(\.part)?$"
)
_LOOKUP_CHUNK = 500
_DONE = (JobStatus.SUCCEEDED, JobStatus.CANCELLED)


def import_path(data_dir: Path, file_name: str) -> Path:
    """Where an import job's upload lives (under the data directory, shared with workers)."""
    return data_dir / "jobs" / file_name


async def discard_upload(data_dir: Path, job: Job) -> bool:
    """Delete the upload of an import that succeeded or was cancelled; True when it is gone.
    A failed import keeps its upload: a dead-letter replay resumes from it (the start-up sweep
    deletes it after `import_failed_retention_seconds`)."""
    name = str(job.params.get("file", ""))
    if job.kind != JobKind.IMPORT or job.status not in _DONE or not _UPLOAD_NAME.match(name):
        return False
    try:
        await asyncio.to_thread(import_path(data_dir, name).unlink, missing_ok=True)
    except OSError as error:
        log.warning("imports.discard_failed", job_id=str(job.id), error=describe(error))
        return False
    return True


async def sweep_orphan_uploads(transactions: Transactions, settings: Settings) -> int:
    """Delete the uploads older than `import_orphan_grace_seconds` that no job will read: those
    of finished or cancelled jobs, of failed ones past `import_failed_retention_seconds`, of no
    job at all (a crash between storing and submitting), and interrupted partial uploads.
    Returns how many were deleted; a failure is logged, never raised (it runs at start)."""
    directory = settings.data_dir / "jobs"
    cutoff = time.time() - settings.import_orphan_grace_seconds
    try:
        found = await asyncio.to_thread(_old_uploads, directory, cutoff)
        ids = [job_id for job_id, _path, partial in found if not partial]
        jobs: dict[UUID, Job] = {}
        for start in range(0, len(ids), _LOOKUP_CHUNK):
            async with transactions.transaction(write=False) as repos:
                chunk = await repos.jobs.find_many(ids[start : start + _LOOKUP_CHUNK])
            jobs.update((job.id, job) for job in chunk)
        kept_until = datetime.now(UTC) - timedelta(seconds=settings.import_failed_retention_seconds)
        orphans = [
            path
            for job_id, path, partial in found
            if partial or not _still_needed(jobs.get(job_id), kept_until)
        ]
        deleted = await asyncio.to_thread(_delete, orphans)
    except Exception as error:
        log.warning("imports.orphan_sweep_failed", error=describe(error))
        return 0
    if deleted:
        log.info("imports.orphans_deleted", files=deleted)
    return deleted


def _still_needed(job: Job | None, kept_until: datetime) -> bool:
    if job is None:
        return False
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return True
    finished = job.finished_at or job.created_at
    return job.status == JobStatus.FAILED and finished > kept_until


def _old_uploads(directory: Path, cutoff: float) -> list[tuple[UUID, Path, bool]]:
    if not directory.is_dir():
        return []
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            match = _UPLOAD_NAME.match(entry.name)
            if match is None or not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                found.append((UUID(match.group(1)), Path(entry.path), match.group(2) is not None))
    return found


def _delete(paths: list[Path]) -> int:
    deleted = 0
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            continue
        deleted += 1
    return deleted
