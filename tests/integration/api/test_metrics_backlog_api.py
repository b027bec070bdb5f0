"""The outbox backlog is visible in /metrics and matches the database."""

import asyncio

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.integration.api.support import content_body, make_settings

from moderation.domain.models import Scope
from moderation.domain.services import TenantService
from moderation.infrastructure.repositories import (
    SqlApiKeyRepository,
    SqlEventRepository,
    SqlTenantRepository,
)
from moderation.main import create_app
from moderation.ml.engine import Engine


@pytest.mark.asyncio
async def test_outbox_backlog_gauge_matches_unrelayed_events(
    database_url: str, tiny_engine: Engine
) -> None:
    settings = make_settings(database_url, worker_enabled=False, relay_enabled=False)
    app = create_app(settings, engine=tiny_engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        database = app.state.resources.database
        async with database.transaction() as session:
            tenants = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
            tenant = await tenants.create_tenant(f"ob-{id(app)}-{database_url[:6]}")
            _, key = await tenants.create_key(tenant.name, set(Scope))
        headers = {"Authorization": f"Bearer {key}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for _ in range(3):
                created = await client.post("/api/v1/content", headers=headers, json=content_body())
                assert created.status_code == 201
            scraped = await client.get("/metrics", headers=headers)
        async with database.sessions() as session:
            unrelayed = await SqlEventRepository(session).unpublished_count()
        assert unrelayed >= 3
        values = {
            sample.name: sample.value
            for family in text_string_to_metric_families(scraped.text)
            for sample in family.samples
        }
        assert values["moderation_outbox_backlog"] == unrelayed
