"""Uploads do not outlive their imports: cancelling a queued import deletes its upload (and so
does a late delivery of its task), and at start the API and the Celery worker delete the
uploads that no job will read again, keeping those still needed."""

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from celery.signals import worker_init  # type: ignore[import-untyped]
from fastapi import FastAPI
from sqlalchemy import update
from tests.integration.api.support import make_settings
from tests.integration.api.test_jobs_api import _tenant
from tests.integration.api.worker_support import (
    engine_context,
    jsonl_lines,
    new_principal,
    write_import,
)

from moderation.core.config import Settings
from moderation.domain.models import JobStatus, Principal, Scope
from moderation.domain.services import JobService
from moderation.infrastructure.database import Database
from moderation.infrastructure.database.tables import JobRow
from moderation.infrastructure.repositories import SqlJobRepository
from moderation.main import create_app
from moderation.ml.engine import Engine
from moderation.workers.celery_app import close_runtime, create_celery_app
from moderation.workers.handlers import JobRunner

_HOURS_AGO = time.time() - 2 * 3600


class _WorkerStarting:
    """What `worker_init` names as its sender: the worker, whose `app` is being started."""

    def __init__(self, app: object) -> None:
        self.app = app


async def _queued_import(database: Database, principal: Principal, data_dir: Path) -> Path:
    """An import job left queued (its task is never sent), with its upload in place."""
    job_id = uuid.uuid4()
    path = write_import(data_dir, f"{job_id}.jsonl", jsonl_lines(3))
    # A database of its own, with no after-commit actions: `database` would send the task.
    quiet = Database(database.url)
    try:
        async with quiet.transaction() as session:
            await JobService(SqlJobRepository(session)).submit_import(
                principal, job_id, file=path.name, file_format="jsonl", size=1
            )
    finally:
        await quiet.dispose()
    return path


@pytest_asyncio.fixture
async def app(database_url: str, tmp_path: Path, tiny_engine: Engine) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(database_url, data_dir=tmp_path), engine=tiny_engine)
    async with application.router.lifespan_context(application):
        await asyncio.wait_for(application.state.resources.ready.wait(), 30)
        yield application


@pytest.mark.asyncio
async def test_cancelling_a_queued_import_deletes_its_upload(app: FastAPI, tmp_path: Path) -> None:
    tenant = await _tenant(app)
    principal = Principal(tenant_id=tenant.id, actor="key:test", scopes=frozenset(Scope))
    upload = await _queued_import(app.state.resources.database, principal, tmp_path)
    job_id = upload.name.split(".")[0]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        cancelled = await client.post(f"/api/v1/jobs/{job_id}/cancel", headers=tenant.headers)
        again = await client.post(f"/api/v1/jobs/{job_id}/cancel", headers=tenant.headers)

    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert again.status_code == 200
    assert not upload.exists()


@pytest.mark.asyncio
async def test_a_late_delivery_of_a_cancelled_import_deletes_its_upload(
    database_url: str, tmp_path: Path, tiny_engine: Engine
) -> None:
    context = engine_context(make_settings(database_url, data_dir=tmp_path), tiny_engine)
    try:
        principal = await new_principal(context.database)
        upload = await _queued_import(context.database, principal, tmp_path)
        job_id = uuid.UUID(upload.name.split(".")[0])
        async with context.database.transaction() as session:
            await JobService(SqlJobRepository(session)).cancel(principal, job_id)
        assert upload.exists()  # the service only records the cancel

        assert await JobRunner(context).run(job_id) is None
    finally:
        await context.close()
    assert not upload.exists()


async def _lay_out_uploads(settings: Settings) -> tuple[set[str], set[str]]:
    """Uploads in every state the start-up sweep tells apart: (kept, deleted) file names."""
    database = Database(settings.effective_database_url)
    kept: set[str] = set()
    deleted: set[str] = set()
    try:
        principal = await new_principal(database)
        data_dir = settings.data_dir
        queued = await _queued_import(database, principal, data_dir)
        failed_now = await _queued_import(database, principal, data_dir)
        failed_long_ago = await _queued_import(database, principal, data_dir)
        succeeded = await _queued_import(database, principal, data_dir)
        now = datetime.now(UTC)
        for path, status, finished in (
            (failed_now, JobStatus.FAILED, now),
            (failed_long_ago, JobStatus.FAILED, now - timedelta(days=8)),
            (succeeded, JobStatus.SUCCEEDED, now),
        ):
            async with database.transaction() as session:
                await session.execute(
                    update(JobRow)
                    .where(JobRow.id == uuid.UUID(path.name.split(".")[0]))
                    .values(status=str(status), finished_at=finished)
                )
    finally:
        await database.dispose()
    no_job = write_import(data_dir, f"{uuid.uuid4()}.csv", "title,body,author_id\n")
    partial = write_import(data_dir, f"{uuid.uuid4()}.jsonl.part", "{")
    unrelated = write_import(data_dir, "notes.txt", "the operator's own file")
    for path in (queued, failed_now, failed_long_ago, succeeded, no_job, partial, unrelated):
        os.utime(path, (_HOURS_AGO, _HOURS_AGO))
    fresh = write_import(data_dir, f"{uuid.uuid4()}.jsonl", "being submitted right now")
    kept = {p.name for p in (queued, failed_now, unrelated, fresh)}
    deleted = {p.name for p in (failed_long_ago, succeeded, no_job, partial)}
    return kept, deleted


@pytest.mark.asyncio
async def test_the_api_deletes_uploads_no_job_will_read_at_start(
    database_url: str, tmp_path: Path, tiny_engine: Engine
) -> None:
    settings = make_settings(database_url, data_dir=tmp_path)
    kept, deleted = await _lay_out_uploads(settings)

    app = create_app(settings, engine=tiny_engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        left = {path.name for path in (tmp_path / "jobs").iterdir()}

    assert kept <= left
    assert not deleted & left


@pytest.mark.asyncio
async def test_a_celery_worker_deletes_uploads_no_job_will_read_at_start(
    database_url: str, tmp_path: Path, tiny_engine: Engine
) -> None:
    # Never connected to: starting a worker process only builds its runtime.
    settings = make_settings(
        database_url, data_dir=tmp_path, broker_url="redis://127.0.0.1:6379/15"
    )
    kept, deleted = await _lay_out_uploads(settings)

    async def context(settings: Settings, queue: object) -> object:
        return engine_context(settings, tiny_engine)

    celery = create_celery_app(settings, context_factory=context)  # type: ignore[arg-type]
    try:
        await asyncio.to_thread(worker_init.send, sender=_WorkerStarting(celery))
    finally:
        await asyncio.to_thread(close_runtime, celery)
    left = {path.name for path in (tmp_path / "jobs").iterdir()}

    assert kept <= left
    assert not deleted & left
