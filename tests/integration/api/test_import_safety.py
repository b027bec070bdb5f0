"""Imports on both databases, with records neither database can store: each is a row error
naming its field and the rest of its batch is imported; a record the database itself refuses
is a row error too; and a job that fails on a database error shows (and logs) no data."""

import asyncio
import json
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from tests.integration.api.support import TenantHandle, make_settings, scratch_postgresql
from tests.integration.api.worker_support import engine_context, new_principal, write_import

from moderation.domain.models import JobStatus
from moderation.domain.services import JobService
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.repositories import SqlJobRepository
from moderation.main import create_app
from moderation.ml.engine import Engine
from moderation.workers.handlers import JobRunner

JSONL = {"Content-Type": "application/x-ndjson"}
# Stands for content text or a webhook secret: it must never reach a job's error, its result
# or the logs. Made per run (and a valid SQL name: SQLite's error quotes it as a table).
SECRET = "private" + secrets.token_hex(8)


def _line(**fields: Any) -> str:
    record = {"title": "A title", "body": "Thanks, that helped", "author_id": "u-1", **fields}
    return json.dumps(record)


async def _final(client: httpx.AsyncClient, tenant: TenantHandle, location: str) -> dict[str, Any]:
    for _ in range(400):
        body: dict[str, Any] = (await client.get(location, headers=tenant.headers)).json()
        if body["status"] in ("succeeded", "failed", "cancelled"):
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"job still {body['status']}: {body}")


@pytest.mark.asyncio
async def test_nul_and_lone_surrogates_are_row_errors_and_the_rest_is_imported(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    lines = [
        _line(title="first"),
        _line(body="nul \u0000 inside"),
        '{"title": "\\ud800", "body": "b", "author_id": "u"}',
        _line(metadata={"k": ["ok", "a\u0000"]}),
        _line(title="last"),
    ]
    jsonl = await client.post(
        "/api/v1/jobs/import",
        content="\n".join(lines).encode(),
        headers={**tenant.headers, **JSONL},
    )
    csv_upload = await client.post(
        "/api/v1/jobs/import?format=csv",
        content=b"title,body,author_id\nfrom csv,a\x00b,u1\ncsv ok,fine,u2\n",
        headers={**tenant.headers, "Content-Type": "text/csv"},
    )

    job = await _final(client, tenant, jsonl.headers["Location"])
    from_csv = await _final(client, tenant, csv_upload.headers["Location"])

    assert (job["status"], job["result"]["created"], job["failed"]) == ("succeeded", 2, 3)
    assert job["result"]["errors"] == [
        {"record": 2, "line": 2, "error": "body: contains a NUL character"},
        {
            "record": 3,
            "line": 3,
            "error": "title: contains a lone surrogate (not valid Unicode)",
        },
        {"record": 4, "line": 4, "error": "metadata.k.1: contains a NUL character"},
    ]
    assert (from_csv["status"], from_csv["result"]["created"]) == ("succeeded", 1)
    assert from_csv["result"]["errors"] == [
        {"record": 1, "line": 2, "error": "body: contains a NUL character"}
    ]
    listed = await client.get("/api/v1/content?size=100", headers=tenant.headers)
    assert listed.status_code == 200
    assert sorted(item["title"] for item in listed.json()["items"]) == [
        "csv ok",
        "first",
        "last",
    ]


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of this test's own: its triggers make the database refuse content."""
    if request.param == "postgresql":
        with scratch_postgresql("moderation_imports") as url:
            yield url
        return
    url = f"sqlite+aiosqlite:///{tmp_path / 'imports.db'}"
    Migrator(url).upgrade()
    yield url


async def _execute(url: str, *statements: str) -> None:
    database = Database(url)
    try:
        async with database.transaction() as session:
            for statement in statements:
                await session.execute(text(statement))
    finally:
        await database.dispose()


async def _refuse_titled(url: str, title: str) -> None:
    """The database refuses (as bad data) any item with this title, quoting its body."""
    if url.startswith("sqlite"):
        await _execute(
            url,
            f"CREATE TRIGGER refuse BEFORE INSERT ON content_items WHEN NEW.title = '{title}' "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END",
        )
        return
    await _execute(
        url,
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
        f"IF NEW.title = '{title}' THEN RAISE EXCEPTION 'refused: %', NEW.body "
        "USING ERRCODE = '22023'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse BEFORE INSERT ON content_items "
        "FOR EACH ROW EXECUTE FUNCTION refuse()",
    )


async def _fail_every_insert(url: str) -> None:
    """Every content insert fails with an operational error whose text holds the secret."""
    if url.startswith("sqlite"):
        # SQLite resolves a trigger's tables when it runs: "no such table: main.sk_live_…".
        await _execute(
            url,
            "CREATE TRIGGER broken BEFORE INSERT ON content_items "  # noqa: S608 - own DDL
            f"BEGIN SELECT 1 FROM {SECRET}; END",
        )
        return
    await _execute(
        url,
        "CREATE FUNCTION broken() RETURNS trigger AS $$ BEGIN "
        f"RAISE EXCEPTION 'disk trouble near {SECRET}: %', NEW.body "
        "USING ERRCODE = '53100'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER broken BEFORE INSERT ON content_items "
        "FOR EACH ROW EXECUTE FUNCTION broken()",
    )


@pytest.mark.asyncio
async def test_a_record_the_database_refuses_is_a_row_error_and_its_batch_is_imported(
    own_database_url: str, tmp_path: Path, tiny_engine: Engine
) -> None:
    await _refuse_titled(own_database_url, "refuse me")
    context = engine_context(make_settings(own_database_url, data_dir=tmp_path), tiny_engine)
    try:
        principal = await new_principal(context.database)
        job_id = uuid.uuid4()
        lines = [_line(title=f"t{n}") for n in range(1, 6)]
        lines[2] = _line(title="refuse me", body=f"my key is {SECRET}")
        write_import(tmp_path, f"{job_id}.jsonl", "\n".join(lines) + "\n")
        async with context.database.transaction() as session:
            await JobService(SqlJobRepository(session)).submit_import(
                principal, job_id, file=f"{job_id}.jsonl", file_format="jsonl", size=1
            )

        job = await JobRunner(context).run(job_id)
    finally:
        await context.close()

    assert job is not None
    assert (job.status, job.result["created"], job.failed_count) == (JobStatus.SUCCEEDED, 4, 1)
    [error] = job.result["errors"]
    assert (error["record"], error["line"]) == (3, 3)
    assert error["error"].startswith("refused: database error (")
    assert SECRET not in json.dumps(job.result)


@pytest_asyncio.fixture
async def failing_app(
    own_database_url: str, tmp_path: Path, tiny_engine: Engine
) -> AsyncIterator[FastAPI]:
    await _fail_every_insert(own_database_url)
    settings = make_settings(own_database_url, data_dir=tmp_path, task_max_retries=0)
    app = create_app(settings, engine=tiny_engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        yield app


@pytest.mark.asyncio
async def test_a_job_failing_on_a_database_error_shows_and_logs_no_data(
    failing_app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.integration.api.test_jobs_api import _tenant

    tenant = await _tenant(failing_app)
    transport = httpx.ASGITransport(app=failing_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        submitted = await client.post(
            "/api/v1/jobs/import",
            content=_line(body=f"my key is {SECRET}").encode(),
            headers={**tenant.headers, **JSONL},
        )
        job = await _final(client, tenant, submitted.headers["Location"])
        shown = await client.get(submitted.headers["Location"], headers=tenant.headers)

    assert job["status"] == "failed"
    assert job["error"].startswith("JobFailedError('database error (")
    assert SECRET not in shown.text
    assert "my key is" not in shown.text
    logged = capsys.readouterr()
    assert "job.attempt_failed" in logged.out
    assert SECRET not in logged.out + logged.err


@pytest.mark.asyncio
async def test_database_errors_never_quote_the_statement_parameters(database_url: str) -> None:
    database = Database(database_url)
    try:
        with pytest.raises(DBAPIError) as raised:
            async with database.transaction() as session:
                await session.execute(
                    text("INSERT INTO no_such_table (body) VALUES (:body)"), {"body": SECRET}
                )
    finally:
        await database.dispose()

    assert "no_such_table" in str(raised.value)
    assert SECRET not in str(raised.value)
