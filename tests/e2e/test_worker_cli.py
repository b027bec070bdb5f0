"""`moderation worker` and `moderation backfill`, run for real in subprocesses: the API in
broker mode leaves moderation to a Celery worker process, which decides what is posted and
stops cleanly; a backfill decides a tenant's pending backlog with a job that a second run finds
nothing left to do for."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import redis

from moderation.domain.models import ContentType, NewContent, Principal, Scope, TaskName
from moderation.domain.services import ContentService, JobService, TenantService
from moderation.infrastructure.database import Database
from moderation.infrastructure.repositories import (
    SqlApiKeyRepository,
    SqlAuditRepository,
    SqlContentRepository,
    SqlEventRepository,
    SqlIdempotencyRepository,
    SqlJobRepository,
    SqlTenantRepository,
    SqlTransactions,
)
from moderation.workers.handlers import record_dead_letter

BROKER_URL = "redis://127.0.0.1:6379/6"


def _command() -> list[str]:
    script = Path(sys.executable).with_name("moderation")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from moderation.cli.app import main; main()"]


def _environment(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    env.update(COLUMNS="200", HF_HUB_OFFLINE="1", MODERATION_DATA_DIR=str(data_dir))
    env.update(extra)
    return env


def _run(data_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [*_command(), *args],
        env=_environment(data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def broker() -> redis.Redis:
    client = redis.Redis.from_url(BROKER_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:  # pragma: no cover - machine setup
        pytest.skip(f"Redis not reachable at {BROKER_URL}: {error}")
    client.flushdb()
    return client


def test_a_worker_process_moderates_what_the_api_accepts(
    tmp_path: Path, tiny_model_dir: Path, broker: redis.Redis
) -> None:
    assert _run(tmp_path, "tenants", "create", "acme").returncode == 0
    made = _run(
        tmp_path, "keys", "create", "--tenant", "acme", "--scopes", "content:read,content:write"
    )
    key = made.stdout.splitlines()[-1]
    env = _environment(
        tmp_path, MODERATION_MODEL=str(tiny_model_dir), MODERATION_BROKER_URL=BROKER_URL
    )
    port = _free_port()
    logs = {name: (tmp_path / f"{name}.log").open("w") for name in ("serve", "worker")}
    server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [*_command(), "serve", "--port", str(port)],
        env=env,
        stdout=logs["serve"],
        stderr=logs["serve"],
    )
    worker = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [*_command(), "worker", "--concurrency", "2", "--loglevel", "WARNING"],
        env=env,
        stdout=logs["worker"],
        stderr=logs["worker"],
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5.0) as http:
            headers = {"Authorization": f"Bearer {key}"}
            _wait_until(lambda: _ready(http), 60, "serve never became ready")
            ids = []
            for number in range(5):
                body = {"title": f"t{number}", "body": "Thanks a lot!", "content_type": "text"}
                created = http.post(
                    "/api/v1/content", headers=headers, json={**body, "author_id": "u"}
                )
                assert created.status_code == 201, created.text
                ids.append(created.json()["id"])

            def all_decided() -> bool:
                items = [http.get(f"/api/v1/content/{i}", headers=headers).json() for i in ids]
                return all(item["moderated_by"] == "engine" for item in items)

            _wait_until(all_decided, 60, "the worker did not decide the items")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        for process in (worker, server):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for handle in logs.values():
            handle.close()
    assert "Traceback" not in (tmp_path / "worker.log").read_text()


def test_the_worker_needs_a_broker(tmp_path: Path) -> None:
    result = _run(tmp_path, "worker")
    assert result.returncode == 2
    assert "MODERATION_BROKER_URL" in result.stderr


def test_backfill_decides_the_pending_backlog_once(tmp_path: Path, tiny_model_dir: Path) -> None:
    assert _run(tmp_path, "tenants", "create", "acme").returncode == 0
    asyncio.run(_add_pending(tmp_path, "acme", 9))

    first = _run(
        tmp_path,
        "backfill",
        "--tenant",
        "acme",
        "--batch-size",
        "4",
        MODERATION_MODEL=str(tiny_model_dir),
    )
    again = _run(tmp_path, "backfill", "--tenant", "acme", MODERATION_MODEL=str(tiny_model_dir))

    assert first.returncode == 0, first.stderr
    assert "succeeded: 9 items (changed 9, unchanged 0, kept_human 0)" in first.stdout
    assert again.returncode == 0, again.stderr
    assert "succeeded: 0 items" in again.stdout
    unknown = _run(tmp_path, "backfill", "--tenant", "nobody")
    assert unknown.returncode == 1
    assert "nobody" in unknown.stderr


async def _add_pending(data_dir: Path, tenant_name: str, count: int) -> None:
    database = Database(f"sqlite+aiosqlite:///{data_dir / 'moderation.db'}")
    try:
        async with database.transaction() as session:
            tenants = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
            tenant = await tenants.tenant(tenant_name)
            principal = Principal(tenant_id=tenant.id, actor="key:test", scopes=frozenset(Scope))
            service = ContentService(
                SqlContentRepository(session),
                SqlAuditRepository(session),
                SqlEventRepository(session),
                SqlIdempotencyRepository(session),
            )
            for number in range(count):
                await service.create(
                    principal,
                    NewContent(
                        title=f"t{number}",
                        body=f"Item {uuid.uuid4().hex}",
                        content_type=ContentType.TEXT,
                        author_id="u",
                    ),
                )
    finally:
        await database.dispose()


def _ready(http: httpx.Client) -> bool:
    try:
        return http.get("/health/ready").status_code == 200
    except httpx.TransportError:
        return False


def _wait_until(check: Callable[[], bool], timeout: float, failure: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(failure)


def test_jobs_retry_without_a_broker_replays_the_task_here(tmp_path: Path) -> None:
    assert _run(tmp_path, "tenants", "create", "acme").returncode == 0
    letter_id, job_id = asyncio.run(_dead_import(tmp_path, "acme"))

    listed = _run(tmp_path, "jobs", "failed")
    replayed = _run(tmp_path, "jobs", "retry", str(letter_id))
    twice = _run(tmp_path, "jobs", "retry", str(letter_id))

    assert listed.returncode == 0, listed.stderr
    assert str(letter_id) in listed.stdout
    assert "run_job" in listed.stdout
    assert replayed.returncode == 0, replayed.stderr
    assert f"replayed {letter_id} (moderation.run_job) here" in replayed.stdout
    assert twice.returncode == 1
    assert "--force" in twice.stderr
    assert asyncio.run(_job_status(tmp_path, job_id)) == "succeeded"
    assert str(letter_id) not in _run(tmp_path, "jobs", "failed").stdout  # replayed ones hidden


async def _dead_import(data_dir: Path, tenant_name: str) -> tuple[uuid.UUID, uuid.UUID]:
    """An import job whose task failed every attempt, with its file in place again."""
    database = Database(f"sqlite+aiosqlite:///{data_dir / 'moderation.db'}")
    job_id = uuid.uuid4()
    (data_dir / "jobs").mkdir(exist_ok=True)
    line = '{"title": "t", "body": "hello there", "author_id": "u"}\n'
    (data_dir / "jobs" / f"{job_id}.jsonl").write_text(line * 3)
    try:
        async with database.transaction() as session:
            tenants = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
            tenant = await tenants.tenant(tenant_name)
            principal = Principal(tenant_id=tenant.id, actor="key:test", scopes=frozenset(Scope))
            await JobService(SqlJobRepository(session)).submit_import(
                principal, job_id, file=f"{job_id}.jsonl", file_format="jsonl", size=3 * len(line)
            )
        letter_id = uuid.uuid4()
        recorded = await record_dead_letter(
            SqlTransactions(database),
            letter_id,
            TaskName.RUN_JOB,
            [str(job_id)],
            "OSError('disk gone')",
            6,
        )
        assert recorded
    finally:
        await database.dispose()
    return letter_id, job_id


async def _job_status(data_dir: Path, job_id: uuid.UUID) -> str:
    database = Database(f"sqlite+aiosqlite:///{data_dir / 'moderation.db'}")
    try:
        async with database.transaction(write=False) as session:
            job = await SqlJobRepository(session).find(job_id)
    finally:
        await database.dispose()
    assert job is not None
    return str(job.status)
