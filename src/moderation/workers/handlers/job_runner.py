import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from uuid import UUID

import structlog
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.api.schemas.create_content_request import CreateContentRequest
from moderation.domain.models import (
    ContentItem,
    Job,
    JobKind,
    JobStatus,
    ModerationStatus,
    NewContent,
)
from moderation.domain.services import ENGINE_ACTOR, STATUS_FOR_DECISION, ContentImportService
from moderation.infrastructure.repositories import (
    PENDING_CONTENT_IDS,
    PENDING_WORK_FLAG,
    SqlContentRepository,
    SqlEventRepository,
    SqlJobRepository,
)
from moderation.workers.handlers.handler_context import HandlerContext
from moderation.workers.handlers.import_reader import ImportReader, ImportRecord
from moderation.workers.handlers.services import auto_moderation_service

log = structlog.get_logger(__name__)

# Called after each committed batch with (processed, total).
ProgressCallback = Callable[[int, int | None], Awaitable[None]]

_MAX_REPORTED_ERRORS = 20
# Scores within this distance are the same decision re-derived: nothing to record again.
_SCORE_TOLERANCE = 1e-6


def import_path(data_dir: Path, file_name: str) -> Path:
    """Where an import job's upload lives (under the data directory, shared with workers)."""
    return data_dir / "jobs" / file_name


class JobRunner:
    """Runs a job (the `run_job` task): claims it, works through it in batches, finishes it.

    Each batch commits its changes together with the job's progress and resume cursor, so a run
    that dies (a killed worker, a lost lease) is resumed by the next delivery without repeating
    or skipping a committed batch; imported items get ids derived from the job and the record
    number, which makes even a repeated batch create nothing twice. Between batches the runner
    renews its lease and stops when a cancel was requested.
    """

    def __init__(self, context: HandlerContext, *, on_progress: ProgressCallback | None = None):
        self._context = context
        self._lease = timedelta(seconds=context.settings.job_lease_seconds)
        self._on_progress = on_progress

    async def run(self, job_id: UUID) -> Job | None:
        """Run or resume the job; None when it is final already or held by another runner."""
        database = self._context.database
        now = datetime.now(UTC)
        async with database.transaction() as session:
            job = await SqlJobRepository(session).claim(job_id, now, now + self._lease)
        if job is None:
            log.info("job.not_claimed", job_id=str(job_id))
            return None
        log.info("job.started", job_id=str(job_id), kind=str(job.kind), processed=job.processed)
        try:
            if job.cancel_requested:
                status = JobStatus.CANCELLED
            elif job.kind == JobKind.IMPORT:
                status = await self._import(job)
            else:
                status = await self._rescore(job)
        except BaseException:
            # Let the retry claim the job at once instead of waiting out the lease.
            with contextlib.suppress(Exception):
                async with database.transaction() as session:
                    await SqlJobRepository(session).release(job_id)
            raise
        async with database.transaction() as session:
            await SqlJobRepository(session).finish(job_id, status, datetime.now(UTC))
        if job.kind == JobKind.IMPORT:
            # A failed job keeps its file: a replay resumes from it.
            self._import_file(job).unlink(missing_ok=True)
        log.info("job.finished", job_id=str(job_id), status=str(status))
        async with database.transaction(write=False) as session:
            return await SqlJobRepository(session).find(job_id)

    def _import_file(self, job: Job) -> Path:
        return import_path(self._context.settings.data_dir, str(job.params.get("file", "")))

    async def _import(self, job: Job) -> JobStatus:
        path = self._import_file(job)
        if not path.is_file():
            raise FileNotFoundError(
                f"import file {path} is missing: workers need the API's data directory "
                "(MODERATION_DATA_DIR) on shared storage"
            )
        reader = ImportReader(path, "csv" if job.params.get("format") == "csv" else "jsonl")
        total = job.total if job.total is not None else await asyncio.to_thread(reader.count)
        processed, failed = job.processed, job.failed_count
        result: dict[str, Any] = {"created": 0, "skipped": 0, "errors": [], **job.result}
        records = reader.records(int(job.cursor) if job.cursor else None)
        try:
            while batch := await asyncio.to_thread(_take, records, self._batch_size(job)):
                rows: list[tuple[UUID, NewContent]] = []
                for number, (_end, fields) in enumerate(batch, start=processed + 1):
                    problem = fields if isinstance(fields, str) else None
                    if isinstance(fields, dict):
                        fields.setdefault("content_type", "text")
                        try:
                            body = CreateContentRequest.model_validate(fields)
                        except ValidationError as error:
                            problem = _summary(error)
                        else:
                            content_id = uuid.uuid5(job.id, str(number))
                            rows.append((content_id, NewContent(**body.model_dump())))
                    if problem is not None:
                        failed += 1
                        if len(result["errors"]) < _MAX_REPORTED_ERRORS:
                            result["errors"].append({"record": number, "error": problem})
                processed += len(batch)
                async with self._context.database.transaction() as session:
                    importer = ContentImportService(
                        SqlContentRepository(session), SqlEventRepository(session)
                    )
                    created = await importer.add_batch(job.tenant_id, rows)
                    result["created"] += created
                    result["skipped"] += len(rows) - created
                    cancel = await self._progress(
                        session, job, total, processed, failed, str(batch[-1][0]), result
                    )
                    new_ids: list[UUID] = session.info.pop(PENDING_CONTENT_IDS, [])
                    session.info.pop(PENDING_WORK_FLAG, None)
                await self._send_for_moderation(new_ids)
                await self._report(processed, total)
                if cancel:
                    return JobStatus.CANCELLED
        finally:
            records.close()
        return JobStatus.SUCCEEDED

    async def _rescore(self, job: Job) -> JobStatus:
        database = self._context.database
        wanted = job.params.get("status")
        status = ModerationStatus(wanted) if wanted else None
        total = job.total
        if total is None:
            async with database.transaction(write=False) as session:
                total = await SqlContentRepository(session).count(job.tenant_id, status=status)
        processed = job.processed
        result: dict[str, Any] = {"changed": 0, "unchanged": 0, "kept_human": 0, **job.result}
        after = UUID(job.cursor) if job.cursor else None
        while True:
            async with database.transaction(write=False) as session:
                items = await SqlContentRepository(session).page_after(
                    job.tenant_id, status=status, after=after, limit=self._batch_size(job)
                )
            if not items:
                return JobStatus.SUCCEEDED
            counts = await self._rescore_batch(job, items)
            for key, value in counts.items():
                result[key] += value
            processed += len(items)
            after = items[-1].id
            async with database.transaction() as session:
                cancel = await self._progress(session, job, total, processed, 0, str(after), result)
            await self._report(processed, total)
            if cancel:
                return JobStatus.CANCELLED

    async def _rescore_batch(self, job: Job, items: list[ContentItem]) -> dict[str, int]:
        counts = {"changed": 0, "unchanged": 0, "kept_human": 0}
        # A reviewer's decision stands: only pending and engine-decided items are re-scored.
        eligible = [item for item in items if item.moderated_by in (None, ENGINE_ACTOR)]
        counts["kept_human"] = len(items) - len(eligible)
        if not eligible:
            return counts
        scorer = await self._context.scorer()
        chunk = max(1, self._context.settings.batch_max_size)
        database = self._context.database
        scored = []
        async with database.transaction(write=False) as session:
            service = auto_moderation_service(session, scorer)
            for start in range(0, len(eligible), chunk):
                scored.extend(await service.score(eligible[start : start + chunk]))
        async with database.transaction() as session:
            service = auto_moderation_service(session, scorer)
            content = SqlContentRepository(session)
            for item, (result, policy_version, elapsed_ms) in zip(eligible, scored, strict=True):
                current = await content.get(item.tenant_id, item.id)
                if current is None:
                    continue
                pending = current.moderation_status == ModerationStatus.PENDING
                if current.moderated_by not in (None, ENGINE_ACTOR) and not pending:
                    counts["kept_human"] += 1
                    continue
                same_status = current.moderation_status == STATUS_FOR_DECISION[result.decision]
                score = current.moderation_score
                if (
                    same_status
                    and score is not None
                    and abs(score - result.score) < _SCORE_TOLERANCE
                ):
                    # Re-running a job records nothing new for decisions it already made.
                    counts["unchanged"] += 1
                    continue
                applied = await service.apply(
                    current,
                    result,
                    policy_version,
                    elapsed_ms,
                    actor=f"{ENGINE_ACTOR} ({job.kind} job {job.id})",
                    only_if_pending=pending,
                )
                counts["changed" if applied is not None else "unchanged"] += 1
        return counts

    async def _progress(
        self,
        session: AsyncSession,
        job: Job,
        total: int | None,
        processed: int,
        failed: int,
        cursor: str,
        result: dict[str, Any],
    ) -> bool:
        cancel = await SqlJobRepository(session).record_progress(
            job.id,
            total=total,
            processed=processed,
            failed_count=failed,
            cursor=cursor,
            result=result,
            lease_until=datetime.now(UTC) + self._lease,
        )
        return cancel

    async def _report(self, processed: int, total: int | None) -> None:
        if self._on_progress is not None:
            await self._on_progress(processed, total)

    async def _send_for_moderation(self, content_ids: list[UUID]) -> None:
        if not content_ids:
            return
        try:
            await self._context.queue.moderate(content_ids)
        except Exception:
            # Committed items are pending in the database: the sweeper sends them later.
            log.warning("job.moderation_send_failed", items=len(content_ids), exc_info=True)

    def _batch_size(self, job: Job) -> int:
        return int(job.params.get("batch_size") or self._context.settings.job_batch_size)


def _take(records: Iterator[ImportRecord], count: int) -> list[ImportRecord]:
    return list(islice(records, count))


def _summary(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or 'record'}: {problem['msg']}"
        for problem in error.errors()
    )
