"""An import is paced by the tenant's share of the backlog: it adds no more pending items than
the share allows, waits (still cancellable) instead of failing, and other tenants keep writing."""

import asyncio
from pathlib import Path

import httpx
import pytest
from tests.integration.api.support import ALL_SCOPES, TenantHandle, content_body, make_settings
from tests.integration.api.worker_support import jsonl_lines

from moderation.domain.services import TenantService
from moderation.infrastructure.database import Migrator
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine

JSONL = {"Content-Type": "application/x-ndjson"}


@pytest.mark.asyncio
async def test_an_import_waits_at_the_tenant_share_and_stays_cancellable(
    tiny_engine: Engine, tmp_path: Path
) -> None:
    # A database of its own: the global pending count must be this test's alone.
    url = f"sqlite+aiosqlite:///{tmp_path / 'share.db'}"
    await asyncio.to_thread(Migrator(url).upgrade)
    # No worker: nothing drains the backlog, so the share is the only thing that stops the import.
    settings = make_settings(
        url,
        data_dir=tmp_path,
        worker_enabled=False,
        max_pending_items=100,
        tenant_backlog_share=0.05,
        job_batch_size=3,
    )
    app = create_app(settings, engine=tiny_engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        importer, other = await _tenant(app, "importer"), await _tenant(app, "other")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            submitted = await client.post(
                "/api/v1/jobs/import",
                content=jsonl_lines(20),
                headers={**importer.headers, **JSONL},
            )
            assert submitted.status_code == 202, submitted.text
            location = submitted.headers["Location"]
            job = await _wait(client, importer, location, lambda body: body["processed"] >= 5)
            # Several more looks at the full backlog: the import must not have gone on.
            await asyncio.sleep(0.4)
            job = (await client.get(location, headers=importer.headers)).json()
            stats = (await client.get("/api/v1/content/stats", headers=importer.headers)).json()
            own_post = await client.post(
                "/api/v1/content", json=content_body(), headers=importer.headers
            )
            other_post = await client.post(
                "/api/v1/content", json=content_body(), headers=other.headers
            )
            cancel = await client.post(f"{location}/cancel", headers=importer.headers)
            final = await _wait(
                client, importer, location, lambda body: body["status"] == "cancelled"
            )

    assert (job["status"], job["processed"]) == ("running", 5)
    assert stats["total"] == 5
    assert own_post.status_code == 429
    assert own_post.json()["limit"] == "tenant_backlog"
    assert other_post.status_code == 201
    assert cancel.status_code == 200, cancel.text
    assert final["processed"] == 5


async def _wait(
    client: httpx.AsyncClient, tenant: TenantHandle, location: str, done: object
) -> dict[str, object]:
    assert callable(done)
    deadline = asyncio.get_running_loop().time() + 15
    while True:
        body: dict[str, object] = (await client.get(location, headers=tenant.headers)).json()
        if done(body):
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"job never reached the expected state: {body}")
        await asyncio.sleep(0.05)


async def _tenant(app: object, name: str) -> TenantHandle:
    database = app.state.resources.database  # type: ignore[attr-defined]
    async with database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        created = await service.create_tenant(name)
        _, key = await service.create_key(created.name, set(ALL_SCOPES))
    return TenantHandle(name=created.name, id=created.id, key=key)
