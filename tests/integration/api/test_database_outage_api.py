"""PostgreSQL goes away and comes back: readiness, clear 503s, nothing half-stored, recovery."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from tests.integration.api.support import content_body, make_settings
from tests.integration.api.tcp_proxy import TcpProxy

from moderation.domain.models import Scope
from moderation.domain.services import TenantService
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine


@pytest_asyncio.fixture
async def proxy() -> AsyncIterator[TcpProxy]:
    tcp = TcpProxy("127.0.0.1", 5432)
    await tcp.start()
    yield tcp
    await tcp.stop()


@pytest.mark.asyncio
async def test_database_outage_is_a_503_and_the_service_recovers(
    postgresql_url: str, tiny_engine: Engine, proxy: TcpProxy
) -> None:
    url = postgresql_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    app = create_app(make_settings(url, worker_poll_seconds=0.2), engine=tiny_engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        token = await _tenant_token(app)
        headers = {"Authorization": f"Bearer {token}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.get("/health/ready")).status_code == 200
            before = await client.post("/api/v1/content", headers=headers, json=content_body())
            assert before.status_code == 201

            await proxy.stop()
            ready = await client.get("/health/ready")
            assert ready.status_code == 503
            assert ready.json()["database"] is False
            failed = await client.post(
                "/api/v1/content", headers=headers, json=content_body(title="during")
            )
            assert failed.status_code == 503
            assert failed.headers["content-type"] == "application/problem+json"
            assert failed.headers["retry-after"] == "5"
            assert "nothing was stored" in failed.json()["detail"]

            await proxy.start()
            for _ in range(50):
                if (await client.get("/health/ready")).status_code == 200:
                    break
                await asyncio.sleep(0.1)
            after = await client.post(
                "/api/v1/content", headers=headers, json=content_body(title="after")
            )
            assert after.status_code == 201
            listed = await client.get("/api/v1/content", headers=headers)
            titles = sorted(item["title"] for item in listed.json()["items"])
            assert titles == ["A title", "after"]


async def _tenant_token(app: FastAPI) -> str:
    database = app.state.resources.database
    async with database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        tenant = await service.create_tenant("outage-tenant-" + str(id(app)))
        _, key = await service.create_key(tenant.name, set(Scope))
    return key
