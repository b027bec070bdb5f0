import asyncio
import contextlib
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple
from uuid import UUID

import structlog
from pydantic import ValidationError
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from moderation.domain.models import (
    BacklogLimits,
    ContentItem,
    Job,
    JobKind,
    JobStatus,
    ModerationStatus,
    NewContent,
)
from moderation.domain.repositories import RepositorySet
from moderation.domain.services import (
    ENGINE_ACTOR,
    STATUS_FOR_DECISION,
    ServiceSet,
)
from moderation.workers.handlers.handler_context import HandlerContext
from moderation.workers.handlers.import_reader import ImportReader
from moderation.workers.handlers.import_record import ImportRecord
from moderation.workers.handlers.import_uploads import discard_upload, import_path
from moderation.workers.handlers.job_failed_error import (
    JobFailedError,
    describe,
    frames,
    sqlstate,
)

log = structlog.get_logger(__name__)

# Called after each committed batch with (processed, total).
ProgressCallback = Callable[[int, int | None], Awaitable[None]]

_MAX_REPORTED_ERRORS = 20
_MAX_ERROR_CHARS = 300
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Scores within this distance are the same decision re-derived: nothing to record again.
_SCORE_TOLERANCE = 1e-6
# Longest pause between two looks at a full backlog while an import waits for room.
_MAX_BACKLOG_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class _Row:
    """An import record ready to store: its number in the file, its line, its item."""

    number: int
    line: int
    content_id: UUID
    new: NewContent


class _Progress(NamedTuple):
    """What a job records with each batch."""

    total: int | None
    processed: int
    failed: int
    cursor: str | None


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
        """Run or resume the job; None when it is final already or held by another runner.

        A failure is raised as `JobFailedError`, whose text (what `job.error` and the logs
        keep) names the error without its data: a database error's own message can quote the
        row it refused and the statement's parameters."""
        try:
            return await self._run(job_id)
        except Exception as error:
            failure = JobFailedError.of(error)
            log.warning(
                "job.attempt_failed",
                job_id=str(job_id),
                error=str(failure),
                error_type=f"{type(error).__module__}.{type(error).__qualname__}",
                frames=frames(error),
            )
        # Raised outside the handler: the original error must not ride along as its context.
        raise failure

    async def _run(self, job_id: UUID) -> Job | None:
        transactions = self._context.transactions
        now = datetime.now(UTC)
        async with transactions.transaction() as repos:
            job = await repos.jobs.claim(job_id, now, now + self._lease)
        if job is None:
            log.info("job.not_claimed", job_id=str(job_id))
            await self._discard_if_final(job_id)
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
                async with transactions.transaction() as repos:
                    await repos.jobs.release(job_id)
            raise
        async with transactions.transaction() as repos:
            await repos.jobs.finish(job_id, status, datetime.now(UTC))
        log.info("job.finished", job_id=str(job_id), status=str(status))
        async with transactions.transaction(write=False) as repos:
            done = await repos.jobs.find(job_id)
        if done is not None:
            await discard_upload(self._context.settings.data_dir, done)
        return done

    async def _discard_if_final(self, job_id: UUID) -> None:
        # A delivery of a job cancelled while queued: its upload may still be on disk.
        async with self._context.transactions.transaction(write=False) as repos:
            job = await repos.jobs.find(job_id)
        if job is not None:
            await discard_upload(self._context.settings.data_dir, job)

    def _import_file(self, job: Job) -> Path:
        return import_path(self._context.settings.data_dir, str(job.params.get("file", "")))

    async def _import(self, job: Job) -> JobStatus:
        path = self._import_file(job)
        if not path.is_file():
            raise JobFailedError(
                f"import file {path.name} is missing: workers need the API's data directory "
                "(MODERATION_DATA_DIR) on shared storage"
            )
        reader = ImportReader(
            path,
            "csv" if job.params.get("format") == "csv" else "jsonl",
            max_record_bytes=self._context.settings.import_max_record_bytes,
        )
        total = job.total if job.total is not None else await asyncio.to_thread(reader.count)
        processed, failed = job.processed, job.failed_count
        result: dict[str, Any] = {"created": 0, "skipped": 0, "errors": [], **job.result}
        records = reader.records(job.cursor)
        cursor = job.cursor
        try:
            while True:
                progress = _Progress(total, processed, failed, cursor)
                room = await self._wait_for_room(job, progress, result)
                if room == 0:
                    return JobStatus.CANCELLED
                size = self._batch_size(job) if room is None else min(room, self._batch_size(job))
                batch = await asyncio.to_thread(_take, records, size)
                if not batch:
                    break
                cursor = batch[-1].cursor
                rows: list[_Row] = []
                for number, record in enumerate(batch, start=processed + 1):
                    row_or_problem = _row(job, number, record)
                    if isinstance(row_or_problem, _Row):
                        rows.append(row_or_problem)
                    else:
                        failed += 1
                        _report_error(result, number, record.line, row_or_problem)
                processed += len(batch)
                progress = _Progress(total, processed, failed, batch[-1].cursor)
                try:
                    cancel = await self._store(job, rows, result, progress)
                except Exception as error:
                    if not _refused(error):
                        raise
                    # One record the database refuses must not fail the others with it.
                    progress = await self._store_each(job, rows, result, progress)
                    cancel = await self._store(job, [], result, progress)
                await self._report(processed, total)
                if cancel:
                    return JobStatus.CANCELLED
        finally:
            records.close()
        return JobStatus.SUCCEEDED

    async def _wait_for_room(
        self, job: Job, progress: _Progress, result: dict[str, Any]
    ) -> int | None:
        """How many items the import may add now under the backlog bounds (None: unbounded),
        waiting while the tenant's share or the global backlog is full; 0 when it was
        cancelled while waiting.

        An import is the easiest way for one tenant to fill the engine's backlog, so it is paced
        by the same `BacklogLimits` as `POST /content`: it waits (renewing its lease) instead of
        failing, and resumes as the engine drains the tenant's items."""
        settings = self._context.settings
        limits = BacklogLimits.of(settings.max_pending_items, settings.tenant_backlog_share)
        delay = min(settings.worker_poll_seconds, _MAX_BACKLOG_WAIT_SECONDS)
        while True:
            async with self._context.transactions.transaction(write=False) as repos:
                content = repos.content
                room = limits.room(
                    await content.pending_count(), await content.pending_count(job.tenant_id)
                )
            if room is None or room > 0:
                return room
            log.info("job.backlog_full", job_id=str(job.id), retry_in=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, _MAX_BACKLOG_WAIT_SECONDS)
            async with self._context.transactions.transaction() as repos:
                if await self._progress(repos, job, progress, result):
                    return 0

    async def _store(
        self, job: Job, rows: list[_Row], result: dict[str, Any], progress: _Progress | None
    ) -> bool:
        """Store `rows`, and the job's progress when given, in one transaction; True when a
        cancel was requested meanwhile."""
        cancel = False
        async with self._context.transactions.transaction() as repos:
            importer = ServiceSet(repos).content_import
            created = await importer.add_batch(
                job.tenant_id, [(row.content_id, row.new) for row in rows]
            )
            # Counted into a copy: a transaction that fails leaves the counts as they were.
            counted = {
                **result,
                "created": result["created"] + created,
                "skipped": result["skipped"] + len(rows) - created,
            }
            if progress is not None:
                cancel = await self._progress(repos, job, progress, counted)
        # The new items are sent for moderation once committed (an effect the repository
        # notes); a lost send is recovered by the sweeper.
        result.update(counted)
        return cancel

    async def _store_each(
        self, job: Job, rows: list[_Row], result: dict[str, Any], progress: _Progress
    ) -> _Progress:
        """Store the rows one per transaction, each one the database refuses a row error; the
        batch's progress is recorded afterwards (a repeated row is found, not created twice).
        Returns the progress with the refused rows counted as failed."""
        failed = progress.failed
        for row in rows:
            try:
                await self._store(job, [row], result, None)
            except Exception as error:
                if not _refused(error):
                    raise
                failed += 1
                _report_error(result, row.number, row.line, f"refused: {describe(error)}")
        return progress._replace(failed=failed)

    async def _rescore(self, job: Job) -> JobStatus:
        transactions = self._context.transactions
        wanted = job.params.get("status")
        status = ModerationStatus(wanted) if wanted else None
        total = job.total
        if total is None:
            async with transactions.transaction(write=False) as repos:
                total = await repos.content.count(job.tenant_id, status=status)
        processed = job.processed
        result: dict[str, Any] = {"changed": 0, "unchanged": 0, "kept_human": 0, **job.result}
        after = UUID(job.cursor) if job.cursor else None
        while True:
            async with transactions.transaction(write=False) as repos:
                items = await repos.content.page_after(
                    job.tenant_id, status=status, after=after, limit=self._batch_size(job)
                )
            if not items:
                return JobStatus.SUCCEEDED
            counts = await self._rescore_batch(job, items)
            for key, value in counts.items():
                result[key] += value
            processed += len(items)
            after = items[-1].id
            async with transactions.transaction() as repos:
                cancel = await self._progress(
                    repos, job, _Progress(total, processed, 0, str(after)), result
                )
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
        transactions = self._context.transactions
        scored = []
        async with transactions.transaction(write=False) as repos:
            service = ServiceSet(repos).auto_moderation(scorer)
            for start in range(0, len(eligible), chunk):
                scored.extend(await service.score(eligible[start : start + chunk]))
        async with transactions.transaction() as repos:
            service = ServiceSet(repos).auto_moderation(scorer)
            content = repos.content
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
        self, repos: RepositorySet, job: Job, progress: _Progress, result: dict[str, Any]
    ) -> bool:
        return await repos.jobs.record_progress(
            job.id,
            total=progress.total,
            processed=progress.processed,
            failed_count=progress.failed,
            cursor=progress.cursor,
            result=result,
            lease_until=datetime.now(UTC) + self._lease,
        )

    async def _report(self, processed: int, total: int | None) -> None:
        if self._on_progress is not None:
            await self._on_progress(processed, total)

    def _batch_size(self, job: Job) -> int:
        return int(job.params.get("batch_size") or self._context.settings.job_batch_size)


def _take(records: Iterator[ImportRecord], count: int) -> list[ImportRecord]:
    return list(islice(records, count))


def _row(job: Job, number: int, record: ImportRecord) -> _Row | str:
    """The record as an item to store, or why it cannot be one."""
    fields = record.fields
    if isinstance(fields, str):
        return fields
    fields.setdefault("content_type", "text")
    try:
        body = NewContent.model_validate(fields)
    except ValidationError as error:
        return _summary(error)
    except Exception as error:
        # A validator that breaks on odd input (too deep to serialise…) fails this record only.
        return f"invalid record ({type(error).__name__})"
    content_id = uuid.uuid5(job.id, str(number))
    return _Row(number, record.line, content_id, body)


def _report_error(result: dict[str, Any], number: int, line: int, problem: str) -> None:
    if len(result["errors"]) < _MAX_REPORTED_ERRORS:
        # Stored in the job's JSON result: nothing a database refuses, nothing unbounded.
        text = _UNSTORABLE.sub("?", problem)
        text = text if len(text) <= _MAX_ERROR_CHARS else text[:_MAX_ERROR_CHARS] + "…"
        result["errors"].append({"record": number, "line": line, "error": text})


def _refused(error: Exception) -> bool:
    """Whether the database refused the data (a value, a constraint), as opposed to failing
    (connection, lock, timeout, disk), which fails the attempt and is retried."""
    if isinstance(error, DataError | IntegrityError):
        return True
    if isinstance(error, DBAPIError):
        # asyncpg's data errors arrive as plain DBAPIError: the SQLSTATE class tells them
        # (22 data exception, 23 integrity constraint violation).
        code = sqlstate(error)
        return code is not None and code[:2] in ("22", "23")
    # Raised while binding a value (an encoding the driver cannot send): no DBAPI error.
    return isinstance(error, StatementError)


def _summary(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or 'record'}: {problem['msg']}"
        for problem in error.errors()
    )
