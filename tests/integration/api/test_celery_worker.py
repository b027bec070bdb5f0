"""A real Celery worker (in a thread of this process, sharing the tiny engine) on the real
Redis broker, behind the API in broker mode: items posted are decided by the worker, imports
report progress and complete, a cancelled job never runs, duplicate deliveries change nothing
twice, and a task that keeps failing is retried, dead-lettered and replayed with the CLI."""

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from celery.contrib.testing.worker import start_worker  # type: ignore[import-untyped]
from celery.worker import state as worker_state  # type: ignore[import-untyped]
from fastapi import FastAPI
from sqlalchemy import func, select
from tests.integration.api.support import ALL_SCOPES, TenantHandle, make_settings
from tests.integration.api.worker_support import engine_context, jsonl_lines

from moderation.api.dependencies import forget_credentials
from moderation.core.config import Settings
from moderation.domain.models import TaskName
from moderation.domain.services import JobQueue, TenantService
from moderation.infrastructure.database.tables import AuditRow, ContentRow, FailedTaskRow
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine
from moderation.workers.celery_app import close_runtime, create_celery_app
from moderation.workers.handlers import HandlerContext

BROKER_URL = "redis://127.0.0.1:6379/5"
JSONL = {"Content-Type": "application/x-ndjson"}


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:  # pragma: no cover - machine setup
        pytest.skip(f"Redis not reachable at {BROKER_URL}: {error}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def broker_settings(database_url: str, tmp_path: Path, broker: redis.Redis) -> Settings:
    return make_settings(
        database_url,
        broker_url=BROKER_URL,
        data_dir=tmp_path,
        job_batch_size=50,
        task_max_retries=2,
        task_retry_backoff_seconds=1,
        task_retry_backoff_max_seconds=2,
        # No sweeps during these tests: each checks what the worker does with what was sent.
        sweep_seconds=600,
    )


@contextmanager
def _worker(settings: Settings, engine: Engine, queues: tuple[str, ...]) -> Iterator[Any]:
    async def context(settings: Settings, queue: JobQueue) -> HandlerContext:
        return engine_context(settings, engine, queue)

    app = create_celery_app(settings, context_factory=context)
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=4,
            perform_ping_check=False,
            loglevel="WARNING",
            queues=list(queues),
            shutdown_timeout=30,
        ):
            yield app
    finally:
        close_runtime(app)


@asynccontextmanager
async def _api(
    settings: Settings, engine: Engine
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, TenantHandle]]:
    app = create_app(settings, engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        async with app.state.resources.database.transaction() as session:
            service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
            tenant = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
            _, key = await service.create_key(tenant.name, set(ALL_SCOPES))
        handle = TenantHandle(name=tenant.name, id=tenant.id, key=key)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield app, client, handle
    forget_credentials()


async def _until(check: Any, timeout: float = 20.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met after {timeout} s")
        await asyncio.sleep(0.05)


async def _final_job(
    client: httpx.AsyncClient, tenant: TenantHandle, location: str
) -> dict[str, Any]:
    seen: list[int] = []

    async def final() -> dict[str, Any] | None:
        body: dict[str, Any] = (await client.get(location, headers=tenant.headers)).json()
        seen.append(body["processed"])
        return body if body["status"] in ("succeeded", "failed", "cancelled") else None

    job: dict[str, Any] = await _until(final)
    job["seen"] = seen
    return job


async def _drained(broker: redis.Redis) -> None:
    """Wait until no task is queued, reserved or running in this process's worker."""

    async def idle() -> bool:
        queued = sum(int(broker.llen(name)) for name in ("moderation", "jobs"))
        return (
            not queued and not worker_state.active_requests and not worker_state.reserved_requests
        )

    await _until(idle)
    await asyncio.sleep(0.2)
    await _until(idle)


async def _count(app: FastAPI, tenant: TenantHandle, table: Any) -> int:
    async with app.state.resources.database.transaction(write=False) as session:
        found = await session.scalar(
            select(func.count()).select_from(table).where(table.tenant_id == tenant.id)
        )
    return int(found or 0)


@pytest.mark.asyncio
async def test_a_posted_item_is_decided_by_the_celery_worker(
    broker_settings: Settings, tiny_engine: Engine
) -> None:
    with _worker(broker_settings, tiny_engine, ("moderation", "jobs")):
        async with _api(broker_settings, tiny_engine) as (app, client, tenant):
            assert app.state.resources.worker is None  # no in-process moderation
            created = await client.post(
                "/api/v1/content",
                json={"title": "t", "body": "Thanks!", "content_type": "text", "author_id": "a"},
                headers=tenant.headers,
            )

            async def decided() -> dict[str, Any] | None:
                url = f"/api/v1/content/{created.json()['id']}"
                body: dict[str, Any] = (await client.get(url, headers=tenant.headers)).json()
                return body if body["moderation_status"] != "pending" else None

            item = await _until(decided)
    assert item["moderated_by"] == "engine"


@pytest.mark.asyncio
async def test_an_import_on_a_worker_reports_progress_and_its_items_are_decided(
    broker_settings: Settings, tiny_engine: Engine
) -> None:
    with _worker(broker_settings, tiny_engine, ("moderation", "jobs")):
        async with _api(broker_settings, tiny_engine) as (_app, client, tenant):
            response = await client.post(
                "/api/v1/jobs/import", content=jsonl_lines(300), headers={**tenant.headers, **JSONL}
            )
            assert response.status_code == 202
            job = await _final_job(client, tenant, response.headers["Location"])

            async def all_decided() -> bool:
                stats = (await client.get("/api/v1/content/stats", headers=tenant.headers)).json()
                return bool(stats["total"] == 300 and stats["by_status"]["pending"] == 0)

            await _until(all_decided)
    assert (job["status"], job["total"], job["processed"], job["result"]["created"]) == (
        "succeeded",
        300,
        300,
        300,
    )
    assert job["seen"] == sorted(job["seen"])  # progress only moves forward


@pytest.mark.asyncio
async def test_a_job_cancelled_while_queued_never_runs(
    broker_settings: Settings, tiny_engine: Engine, broker: redis.Redis
) -> None:
    # This worker takes no jobs: the import stays queued until it is cancelled.
    with _worker(broker_settings, tiny_engine, ("moderation",)):
        async with _api(broker_settings, tiny_engine) as (app, client, tenant):
            response = await client.post(
                "/api/v1/jobs/import", content=jsonl_lines(20), headers={**tenant.headers, **JSONL}
            )
            location = response.headers["Location"]
            cancelled = await client.post(f"{location}/cancel", headers=tenant.headers)
            assert cancelled.status_code == 200
            assert cancelled.json()["status"] == "cancelled"
    # Now a worker that takes jobs gets the queued task: it finds the job final.
    with _worker(broker_settings, tiny_engine, ("jobs",)):
        async with _api(broker_settings, tiny_engine) as (app, client, _):
            await _drained(broker)
            assert await _count(app, tenant, ContentRow) == 0
    job = await _job_row(broker_settings, location)
    assert job["status"] == "cancelled"


async def _job_row(settings: Settings, location: str) -> dict[str, Any]:
    from moderation.infrastructure.database import Database
    from moderation.infrastructure.repositories import SqlJobRepository

    database = Database(settings.effective_database_url)
    try:
        async with database.transaction(write=False) as session:
            job = await SqlJobRepository(session).find(uuid.UUID(location.rsplit("/", 1)[-1]))
    finally:
        await database.dispose()
    assert job is not None
    return job.model_dump(mode="json")


@pytest.mark.asyncio
async def test_tasks_delivered_twice_change_nothing_twice(
    broker_settings: Settings, tiny_engine: Engine, broker: redis.Redis
) -> None:
    async with _api(broker_settings, tiny_engine) as (app, client, tenant):
        response = await client.post(
            "/api/v1/jobs/import", content=jsonl_lines(60), headers={**tenant.headers, **JSONL}
        )
        job_id = response.json()["id"]
        sender = create_celery_app(broker_settings)
        sender.send_task(TaskName.RUN_JOB.value, args=[job_id])  # a duplicate delivery
        with _worker(broker_settings, tiny_engine, ("moderation", "jobs")):
            job = await _final_job(client, tenant, response.headers["Location"])
            await _drained(broker)
            async with app.state.resources.database.transaction(write=False) as session:
                ids = [
                    str(i)
                    for i in await session.scalars(
                        select(ContentRow.id).where(ContentRow.tenant_id == tenant.id)
                    )
                ]
            sender.send_task(TaskName.MODERATE_CONTENT.value, args=ids)  # decided already
            sender.send_task(TaskName.RUN_JOB.value, args=[job_id])  # finished already
            await _drained(broker)
            assert await _count(app, tenant, ContentRow) == 60
            assert await _count(app, tenant, AuditRow) == 60
    assert (job["status"], job["result"]["created"]) == ("succeeded", 60)


@pytest.mark.asyncio
async def test_a_failing_task_is_retried_dead_lettered_and_replayed_by_the_cli(
    broker_settings: Settings, tiny_engine: Engine, broker: redis.Redis
) -> None:
    async with _api(broker_settings, tiny_engine) as (app, client, tenant):
        response = await client.post(
            "/api/v1/jobs/import", content=jsonl_lines(5), headers={**tenant.headers, **JSONL}
        )
        location = response.headers["Location"]
        upload = broker_settings.data_dir / "jobs" / f"{response.json()['id']}.jsonl"
        upload.rename(upload.with_suffix(".away"))  # the worker will not find it
        with _worker(broker_settings, tiny_engine, ("moderation", "jobs")):
            failed = await _final_job(client, tenant, location)
            async with app.state.resources.database.transaction(write=False) as session:
                rows = await session.scalars(
                    select(FailedTaskRow).where(FailedTaskRow.task_name == TaskName.RUN_JOB.value)
                )
                [letter] = [row for row in rows if row.args == [failed["id"]]]
            assert letter.attempts == 3  # the first try and two retries

            upload.with_suffix(".away").rename(upload)
            listed = await _cli(broker_settings, "jobs", "failed")
            assert str(letter.id) in listed
            replayed = await _cli(broker_settings, "jobs", "retry", str(letter.id))
            assert "to the workers" in replayed
            done = await _final_job(client, tenant, location)
    assert failed["status"] == "failed"
    assert "is missing" in failed["error"]
    assert (done["status"], done["result"]["created"]) == ("succeeded", 5)


async def _cli(settings: Settings, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    env.update(
        COLUMNS="250",
        MODERATION_DATABASE_URL=settings.effective_database_url,
        MODERATION_BROKER_URL=str(settings.broker_url),
        MODERATION_DATA_DIR=str(settings.data_dir),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from moderation.cli.app import main; main()",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    return out.decode() + err.decode()
