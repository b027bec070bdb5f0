"""The jobs API in the embedded mode (no broker): imports and re-scores are accepted with 202
and a job resource, report progress, are scoped per tenant and per scope, and can be cancelled."""

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import (
    TenantHandle,
    content_body,
    make_settings,
    wait_until_decided,
)
from tests.integration.api.worker_support import jsonl_lines

from moderation.domain.models import Scope
from moderation.main import create_app
from moderation.ml.engine import Engine

JSONL = {"Content-Type": "application/x-ndjson"}


async def _wait_final(
    client: httpx.AsyncClient, tenant: TenantHandle, location: str, timeout: float = 20.0
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        body: dict[str, Any] = (await client.get(location, headers=tenant.headers)).json()
        if body["status"] in ("succeeded", "failed", "cancelled"):
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"job still {body['status']} after {timeout} s: {body}")
        await asyncio.sleep(0.05)


@pytest.mark.asyncio
async def test_a_jsonl_import_is_accepted_and_completes(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    text = jsonl_lines(120, invalid=(5,))
    response = await client.post(
        "/api/v1/jobs/import", content=text, headers={**tenant.headers, **JSONL}
    )

    assert response.status_code == 202, response.text
    location = response.headers["Location"]
    assert location == f"/api/v1/jobs/{response.json()['id']}"
    assert response.json()["kind"] == "import"
    job = await _wait_final(client, tenant, location)
    assert job["status"] == "succeeded"
    assert (job["total"], job["processed"], job["failed"], job["progress"]) == (120, 120, 1, 1.0)
    assert job["result"]["created"] == 119
    assert job["result"]["errors"][0]["record"] == 5
    stats = (await client.get("/api/v1/content/stats", headers=tenant.headers)).json()
    assert stats["total"] == 119
    listed = (await client.get("/api/v1/jobs", headers=tenant.headers)).json()
    assert [j["id"] for j in listed["items"]] == [job["id"]]


@pytest.mark.asyncio
async def test_a_csv_import_keeps_quoted_newlines_and_tags(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    csv_text = (
        "title,body,author_id,tags\n"
        'First,"Line one\nline two, with a comma",u1,review;kitchen\n'
        'Second,"He said ""great""",u2,\n'
    )
    response = await client.post(
        "/api/v1/jobs/import?format=csv",
        content=csv_text,
        headers={**tenant.headers, "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 202, response.text
    job = await _wait_final(client, tenant, response.headers["Location"])
    assert (job["status"], job["result"]["created"], job["failed"]) == ("succeeded", 2, 0)
    items = (await client.get("/api/v1/content", headers=tenant.headers)).json()["items"]
    by_title = {item["title"]: item for item in items}
    assert by_title["First"]["body"] == "Line one\nline two, with a comma"
    assert by_title["First"]["tags"] == ["review", "kitchen"]
    assert by_title["Second"]["body"] == 'He said "great"'


@pytest.mark.asyncio
async def test_a_rescore_is_accepted_and_changes_nothing_the_second_time(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    created = await client.post("/api/v1/content", json=content_body(), headers=tenant.headers)
    await wait_until_decided(client, tenant, created.json()["id"])
    results = []
    for _ in range(2):
        response = await client.post("/api/v1/jobs/rescore", json={}, headers=tenant.headers)
        assert response.status_code == 202, response.text
        job = await _wait_final(client, tenant, response.headers["Location"])
        assert job["status"] == "succeeded"
        results.append(job["result"])
    assert results[1] == {"changed": 0, "unchanged": 1, "kept_human": 0}
    history = await client.get(
        f"/api/v1/content/{created.json()['id']}/history", headers=tenant.headers
    )
    assert len(history.json()["entries"]) == 1


@pytest.mark.asyncio
async def test_scopes_formats_and_tenants_are_enforced(
    client: httpx.AsyncClient, tenant: TenantHandle, make_tenant: MakeTenant
) -> None:
    reader = await make_tenant(scopes={Scope.CONTENT_READ})
    denied = await client.post(
        "/api/v1/jobs/import", content=jsonl_lines(1), headers={**reader.headers, **JSONL}
    )
    assert denied.status_code == 403
    writer = await make_tenant(scopes={Scope.CONTENT_WRITE})
    assert (
        await client.post("/api/v1/jobs/rescore", json={}, headers=writer.headers)
    ).status_code == 403
    unknown = await client.post(
        "/api/v1/jobs/import",
        content="x",
        headers={**tenant.headers, "Content-Type": "text/plain"},
    )
    assert unknown.status_code == 422
    assert unknown.headers["content-type"] == "application/problem+json"
    empty = await client.post(
        "/api/v1/jobs/import", content=b"", headers={**tenant.headers, **JSONL}
    )
    assert empty.status_code == 422

    done = await client.post(
        "/api/v1/jobs/import", content=jsonl_lines(2), headers={**tenant.headers, **JSONL}
    )
    location = done.headers["Location"]
    await _wait_final(client, tenant, location)
    other = await make_tenant()
    assert (await client.get(location, headers=other.headers)).status_code == 404
    assert (await client.post(f"{location}/cancel", headers=other.headers)).status_code == 404
    finished = await client.post(f"{location}/cancel", headers=tenant.headers)
    assert finished.status_code == 409


@pytest.mark.asyncio
async def test_an_import_over_the_size_limit_is_refused(
    database_url: str, tiny_engine: Engine, tmp_path: Path
) -> None:
    settings = make_settings(database_url, data_dir=tmp_path, import_max_bytes=2048)
    app = create_app(settings, engine=tiny_engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        tenant = await _tenant(app)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            small = await client.post(
                "/api/v1/jobs/import", content=jsonl_lines(3), headers={**tenant.headers, **JSONL}
            )
            large = await client.post(
                "/api/v1/jobs/import", content=jsonl_lines(40), headers={**tenant.headers, **JSONL}
            )
    assert small.status_code == 202
    assert large.status_code == 413
    assert list((tmp_path / "jobs").glob("*.part")) == []


async def _tenant(app: FastAPI) -> TenantHandle:
    from tests.integration.api.support import ALL_SCOPES

    from moderation.domain.services import TenantService
    from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository

    async with app.state.resources.database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        created = await service.create_tenant(f"t-size-{id(app)}")
        _, key = await service.create_key(created.name, set(ALL_SCOPES))
    return TenantHandle(name=created.name, id=created.id, key=key)
