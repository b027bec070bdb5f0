"""The task handlers on both databases: imports resume exactly and create nothing twice,
re-scores keep reviewer decisions and re-record nothing, cancels stop between batches,
failures are retried then dead-lettered and replayed, and the sweeper re-sends lost work."""

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, select, update
from tests.integration.api.support import make_settings, scratch_postgresql
from tests.integration.api.worker_support import (
    RecordingQueue,
    engine_context,
    jsonl_lines,
    new_principal,
    write_import,
)

from moderation.core.config import Settings
from moderation.domain.models import (
    ContentType,
    HumanDecision,
    JobKind,
    JobStatus,
    ModerationStatus,
    NewContent,
    Principal,
    TaskName,
)
from moderation.domain.services import ContentService, DeadLetterService, JobService
from moderation.infrastructure.database import Migrator
from moderation.infrastructure.database.tables import AuditRow, ContentRow, JobRow
from moderation.infrastructure.repositories import (
    SqlAuditRepository,
    SqlContentRepository,
    SqlEventRepository,
    SqlFailedTaskRepository,
    SqlIdempotencyRepository,
    SqlJobRepository,
)
from moderation.ml.engine import Engine
from moderation.workers import InProcessJobQueue, RetryPolicy
from moderation.workers.handlers import HandlerContext, JobRunner, moderate_content, sweep_overdue


@pytest.fixture
def worker_settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, data_dir=tmp_path, job_batch_size=100, sweep_grace_seconds=5)


@pytest_asyncio.fixture
async def context(worker_settings: Settings, tiny_engine: Engine) -> AsyncIterator[HandlerContext]:
    built = engine_context(worker_settings, tiny_engine)
    yield built
    await built.close()


async def _submit_import(context: HandlerContext, principal: Principal, text: str) -> uuid.UUID:
    job_id = uuid.uuid4()
    name = f"{job_id}.jsonl"
    write_import(context.settings.data_dir, name, text)
    async with context.database.transaction() as session:
        await JobService(SqlJobRepository(session)).submit_import(
            principal, job_id, file=name, file_format="jsonl", size=len(text)
        )
    return job_id


async def _count(context: HandlerContext, principal: Principal, table: Any) -> int:
    async with context.database.transaction(write=False) as session:
        count = await session.scalar(
            select(func.count()).select_from(table).where(table.tenant_id == principal.tenant_id)
        )
    return int(count or 0)


async def _add_items(context: HandlerContext, principal: Principal, count: int) -> list[uuid.UUID]:
    ids = []
    async with context.database.transaction() as session:
        service = ContentService(
            SqlContentRepository(session),
            SqlAuditRepository(session),
            SqlEventRepository(session),
            SqlIdempotencyRepository(session),
        )
        for number in range(count):
            new = NewContent(
                title=f"t{number}",
                body="Lovely, thanks!",
                content_type=ContentType.TEXT,
                author_id="a",
            )
            item, _ = await service.create(principal, new)
            ids.append(item.id)
    return ids


@pytest.mark.asyncio
async def test_an_import_reports_progress_and_a_second_run_creates_nothing(
    context: HandlerContext,
) -> None:
    principal = await new_principal(context.database)
    text = jsonl_lines(250, invalid=(7, 120, 249))
    job_id = await _submit_import(context, principal, text)
    seen: list[tuple[int, int | None]] = []

    async def progress(done: int, total: int | None) -> None:
        seen.append((done, total))

    job = await JobRunner(context, on_progress=progress).run(job_id)

    assert job is not None
    assert job.status == JobStatus.SUCCEEDED
    assert seen == [(100, 250), (200, 250), (250, 250)]
    assert (job.total, job.processed, job.failed_count) == (250, 250, 3)
    assert job.result["created"] == 247
    assert [e["record"] for e in job.result["errors"]] == [7, 120, 249]
    assert await _count(context, principal, ContentRow) == 247
    assert isinstance(context.queue, RecordingQueue)
    assert len(context.queue.moderated) == 247  # each new item was sent for moderation
    assert not (context.settings.data_dir / "jobs" / f"{job_id}.jsonl").exists()

    # Delivered again: the job is final, nothing happens.
    assert await JobRunner(context).run(job_id) is None
    # Run again from the start, as after a crash before any progress was saved.
    write_import(context.settings.data_dir, f"{job_id}.jsonl", text)
    async with context.database.transaction() as session:
        await session.execute(
            update(JobRow)
            .where(JobRow.id == job_id)
            .values(status="running", processed=0, failed_count=0, cursor=None, result={})
        )
    rerun = await JobRunner(context).run(job_id)
    assert rerun is not None
    assert rerun.status == JobStatus.SUCCEEDED
    assert (rerun.result["created"], rerun.result["skipped"]) == (0, 247)
    assert await _count(context, principal, ContentRow) == 247


@pytest.mark.asyncio
async def test_a_cancel_stops_the_job_after_the_current_batch(context: HandlerContext) -> None:
    principal = await new_principal(context.database)
    job_id = await _submit_import(context, principal, jsonl_lines(500))

    async def cancel_once(done: int, total: int | None) -> None:
        if done == 100:
            async with context.database.transaction() as session:
                await JobService(SqlJobRepository(session)).cancel(principal, job_id)

    job = await JobRunner(context, on_progress=cancel_once).run(job_id)

    assert job is not None
    assert job.status == JobStatus.CANCELLED
    assert job.cancel_requested
    assert job.processed == 200  # the batch in flight when the cancel came is committed
    assert await _count(context, principal, ContentRow) == 200


@pytest.mark.asyncio
async def test_moderate_content_twice_decides_once(context: HandlerContext) -> None:
    principal = await new_principal(context.database)
    ids = await _add_items(context, principal, 5)
    args = [str(i) for i in ids]

    assert await moderate_content(context, args) == 5
    assert await moderate_content(context, args) == 0

    assert await _count(context, principal, AuditRow) == 5
    async with context.database.transaction(write=False) as session:
        statuses = set(
            await session.scalars(select(ContentRow.status).where(ContentRow.id.in_(ids)))
        )
    assert ModerationStatus.PENDING.value not in statuses


@pytest.mark.asyncio
async def test_a_rescore_keeps_reviewer_decisions_and_rerecords_nothing(
    context: HandlerContext,
) -> None:
    principal = await new_principal(context.database)
    ids = await _add_items(context, principal, 4)
    await moderate_content(context, [str(i) for i in ids[:3]])  # the fourth stays pending
    async with context.database.transaction() as session:
        content = ContentService(
            SqlContentRepository(session),
            SqlAuditRepository(session),
            SqlEventRepository(session),
            SqlIdempotencyRepository(session),
        )
        await content.decide(principal, ids[0], HumanDecision(status=ModerationStatus.REJECTED))
    audits_before = await _count(context, principal, AuditRow)

    async def rescore() -> dict[str, object]:
        async with context.database.transaction() as session:
            job = await JobService(SqlJobRepository(session)).submit_rescore(
                principal.tenant_id, "key:test", status=None
            )
        done = await JobRunner(context).run(job.id)
        assert done is not None
        assert done.status == JobStatus.SUCCEEDED
        assert done.kind == JobKind.RESCORE
        return done.result

    assert await rescore() == {"changed": 1, "unchanged": 2, "kept_human": 1}
    assert await _count(context, principal, AuditRow) == audits_before + 1
    assert await rescore() == {"changed": 0, "unchanged": 3, "kept_human": 1}
    assert await _count(context, principal, AuditRow) == audits_before + 1
    async with context.database.transaction(write=False) as session:
        reviewed = await SqlContentRepository(session).get(principal.tenant_id, ids[0])
    assert reviewed is not None
    assert reviewed.moderation_status == ModerationStatus.REJECTED


@pytest.mark.asyncio
async def test_a_failing_task_is_retried_dead_lettered_and_replayed(
    worker_settings: Settings, tiny_engine: Engine
) -> None:
    context = engine_context(worker_settings, tiny_engine)
    queue = InProcessJobQueue(
        context.database,
        worker_settings,
        lambda: None,
        transactions=context.transactions,
        retry=RetryPolicy(max_retries=2, backoff_seconds=0.01, backoff_max_seconds=0.02),
    )
    try:
        principal = await new_principal(context.database)
        job_id = await _submit_import(context, principal, jsonl_lines(3))
        upload = context.settings.data_dir / "jobs" / f"{job_id}.jsonl"
        upload.rename(upload.with_suffix(".away"))  # the worker cannot find its file

        await queue.run_job(job_id)
        await queue.join()

        async with context.database.transaction(write=False) as session:
            letters = await DeadLetterService(
                SqlFailedTaskRepository(session), SqlJobRepository(session)
            ).recent()
            job = await SqlJobRepository(session).find(job_id)
        [letter] = [t for t in letters if t.args == [str(job_id)]]
        assert letter.task_name == TaskName.RUN_JOB
        assert letter.attempts == 3
        assert "is missing" in letter.error
        assert job is not None
        assert job.status == JobStatus.FAILED

        upload.with_suffix(".away").rename(upload)
        async with context.database.transaction() as session:
            replay = await DeadLetterService(
                SqlFailedTaskRepository(session), SqlJobRepository(session)
            ).prepare_replay(letter.id)
        await queue.submit(replay.task_name, [str(a) for a in replay.args])
        await queue.join()

        async with context.database.transaction(write=False) as session:
            job = await SqlJobRepository(session).find(job_id)
            again = await SqlFailedTaskRepository(session).get(letter.id)
        assert job is not None
        assert job.status == JobStatus.SUCCEEDED
        assert job.result["created"] == 3
        assert again is not None
        assert again.replayed_at is not None
    finally:
        await queue.close()
        await context.close()


@pytest.mark.asyncio
async def test_the_sweeper_resends_overdue_items_and_jobs_once(context: HandlerContext) -> None:
    principal = await new_principal(context.database)
    [item_id] = await _add_items(context, principal, 1)
    job_id = await _submit_import(context, principal, jsonl_lines(1))
    long_ago = datetime.now(UTC) - timedelta(minutes=10)
    async with context.database.transaction() as session:
        await session.execute(
            update(ContentRow).where(ContentRow.id == item_id).values(next_attempt_at=long_ago)
        )
        await session.execute(
            update(JobRow).where(JobRow.id == job_id).values(enqueued_at=long_ago)
        )
    queue = RecordingQueue()

    await sweep_overdue(context.transactions, queue, context.settings, content=True)
    await sweep_overdue(context.transactions, queue, context.settings, content=True)

    assert queue.moderated.count(item_id) == 1
    assert queue.jobs.count(job_id) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own: which items a task takes along depends on every pending
    item in the database, and the shared ones hold other tests' items."""
    if request.param == "postgresql":
        with scratch_postgresql("moderation_claims") as url:
            yield url
        return
    url = f"sqlite+aiosqlite:///{tmp_path / 'claims.db'}"
    Migrator(url).upgrade()
    yield url


@pytest_asyncio.fixture
async def own_context(
    own_database_url: str, tmp_path: Path, tiny_engine: Engine
) -> AsyncIterator[HandlerContext]:
    built = engine_context(make_settings(own_database_url, data_dir=tmp_path), tiny_engine)
    yield built
    await built.close()


@pytest.mark.asyncio
async def test_a_task_takes_other_unclaimed_items_along_but_not_one_held_elsewhere(
    own_context: HandlerContext,
) -> None:
    context = own_context
    principal = await new_principal(context.database)
    own, pushed, held = await _add_items(context, principal, 3)
    now = datetime.now(UTC)
    async with context.database.transaction() as session:
        content = SqlContentRepository(session)
        # The sweeper found them waiting in a backlog: re-sent, due time pushed out.
        await content.mark_overdue(now + timedelta(seconds=1), 1000, now + timedelta(minutes=5))
        # Another worker holds one (claimed: leased, attempts counted).
        await content.claim([held], now + timedelta(minutes=5))

    decided = await moderate_content(context, [str(own)])

    async with context.database.transaction(write=False) as session:
        rows = {
            row.id: row
            for row in await session.scalars(
                select(ContentRow).where(ContentRow.id.in_([own, pushed, held]))
            )
        }
    assert decided == 1  # the task counts its own items
    assert rows[own].status != ModerationStatus.PENDING.value
    assert rows[pushed].status != ModerationStatus.PENDING.value
    assert rows[held].status == ModerationStatus.PENDING.value
    assert rows[held].attempts == 1
