"""Backpressure: a full auto-moderation backlog turns new content away with 503, not memory, and
one tenant holding its whole share of the backlog is turned away (429) while the others go on."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from tests.integration.api.support import (
    TenantHandle,
    content_body,
    make_settings,
    scratch_postgresql,
)

from moderation.domain.models import NewContent, Scope
from moderation.domain.services import ContentImportService, TenantService
from moderation.infrastructure.database import Migrator
from moderation.infrastructure.repositories import (
    SqlApiKeyRepository,
    SqlContentRepository,
    SqlEventRepository,
    SqlTenantRepository,
)
from moderation.main import create_app
from moderation.ml.engine import Engine

CONTENT = "/api/v1/content"


# The global count spans every tenant: each test gets its own database, so other tests' pending
# items do not count against these small bounds.
@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'backlog.db'}"
    Migrator(url).upgrade()
    return url


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    with scratch_postgresql("moderation_backlog") as url:
        yield url


@asynccontextmanager
async def _app(database_url: str, engine: Engine, **overrides: object) -> AsyncIterator[FastAPI]:
    settings = make_settings(database_url, worker_enabled=False, **overrides)
    app = create_app(settings, engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        yield app


async def _tenant(app: FastAPI) -> TenantHandle:
    async with app.state.resources.database.transaction() as session:
        tenants = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        tenant = await tenants.create_tenant(f"bp-{uuid.uuid4().hex[:12]}")
        _, key = await tenants.create_key(tenant.name, set(Scope))
    return TenantHandle(name=tenant.name, id=tenant.id, key=key)


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def _post(client: httpx.AsyncClient, tenant: TenantHandle) -> httpx.Response:
    return await client.post(CONTENT, headers=tenant.headers, json=content_body())


def _assert_refused(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["retry-after"] == "30"
    assert response.headers["content-type"] == "application/problem+json"
    assert "waiting for moderation" in response.json()["detail"]


@pytest.mark.asyncio
async def test_full_backlog_answers_503_with_retry_after(
    database_url: str, tiny_engine: Engine
) -> None:
    async with (
        _app(database_url, tiny_engine, max_pending_items=2, tenant_backlog_share=1.0) as app,
        _client(app) as client,
    ):
        tenant = await _tenant(app)
        for _ in range(2):
            assert (await _post(client, tenant)).status_code == 201
        # No wait for the once-a-second re-read: the process counts what it admitted itself.
        _assert_refused(await _post(client, tenant), 503)
        listed = await client.get(CONTENT, headers=tenant.headers)
        assert listed.json()["total"] == 2


@pytest.mark.asyncio
async def test_a_tenant_over_its_share_gets_429_while_others_still_write(
    database_url: str, tiny_engine: Engine
) -> None:
    async with (
        _app(database_url, tiny_engine, max_pending_items=4, tenant_backlog_share=0.5) as app,
        _client(app) as client,
    ):
        greedy, other, late = await _tenant(app), await _tenant(app), await _tenant(app)
        for _ in range(2):
            assert (await _post(client, greedy)).status_code == 201
        refused = await _post(client, greedy)
        _assert_refused(refused, 429)
        assert refused.json()["tenant_backlog_limit"] == 2

        for _ in range(2):
            assert (await _post(client, other)).status_code == 201
        # Two shares fill the global bound: now everybody waits, with the service's 503.
        _assert_refused(await _post(client, late), 503)
        for tenant, expected in ((greedy, 2), (other, 2), (late, 0)):
            listed = await client.get(CONTENT, headers=tenant.headers)
            assert listed.json()["total"] == expected


@pytest.mark.asyncio
async def test_an_import_that_fills_a_tenants_share_blocks_only_that_tenant(
    database_url: str, tiny_engine: Engine
) -> None:
    async with (
        _app(database_url, tiny_engine, max_pending_items=100, tenant_backlog_share=0.05) as app,
        _client(app) as client,
    ):
        importer, other = await _tenant(app), await _tenant(app)
        # What an import job does: a bulk insert of pending items, outside any request.
        async with app.state.resources.database.transaction() as session:
            service = ContentImportService(
                SqlContentRepository(session), SqlEventRepository(session)
            )
            rows = [
                (uuid.uuid4(), NewContent.model_validate(content_body(title=f"row {n}")))
                for n in range(5)
            ]
            assert await service.add_batch(importer.id, rows) == 5

        _assert_refused(await _post(client, importer), 429)
        assert (await _post(client, other)).status_code == 201
        async with app.state.resources.database.sessions() as session:
            content = SqlContentRepository(session)
            assert await content.pending_count(importer.id) == 5
            assert await content.pending_count(other.id) == 1
            assert await content.pending_count() == 6
