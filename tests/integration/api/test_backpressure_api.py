"""Backpressure: a full auto-moderation backlog turns new content away with 503, not memory."""

import asyncio

import httpx
import pytest
from tests.integration.api.support import content_body, make_settings

from moderation.domain.models import Scope
from moderation.domain.services import TenantService
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine


@pytest.mark.asyncio
async def test_full_backlog_answers_503_with_retry_after(
    database_url: str, tiny_engine: Engine
) -> None:
    settings = make_settings(database_url, worker_enabled=False, max_pending_items=2)
    app = create_app(settings, engine=tiny_engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        async with app.state.resources.database.transaction() as session:
            tenants = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
            tenant = await tenants.create_tenant(f"bp-{id(app)}-{database_url[:6]}")
            _, key = await tenants.create_key(tenant.name, set(Scope))
        headers = {"Authorization": f"Bearer {key}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for _ in range(2):
                created = await client.post("/api/v1/content", headers=headers, json=content_body())
                assert created.status_code == 201
            await asyncio.sleep(1.1)  # the backlog count is re-read at most once a second
            refused = await client.post("/api/v1/content", headers=headers, json=content_body())
            assert refused.status_code == 503
            assert refused.headers["retry-after"] == "30"
            assert refused.headers["content-type"] == "application/problem+json"
            assert "waiting for moderation" in refused.json()["detail"]
            listed = await client.get("/api/v1/content", headers=headers)
            assert listed.json()["total"] == 2
