"""`GET /api/v1/content/{id}` through the Redis content cache, on both databases: hits answer
the same bytes, and every kind of write (reviewer, re-analysis, bulk, the engine in the
in-process worker or in a task handler) is visible to the next read."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from redis.asyncio import Redis
from structlog.testing import capture_logs
from tests.integration.api.support import TenantHandle, content_body, make_settings
from tests.integration.api.worker_support import engine_context

from moderation.api.schemas import ContentResponse
from moderation.core.config import Settings
from moderation.infrastructure.cache import ContentReadCache
from moderation.main import create_app
from moderation.ml.engine import Engine
from moderation.workers import InProcessWorker
from moderation.workers.handlers import moderate_content

MakeTenant = Callable[..., Awaitable[TenantHandle]]
REDIS_URL = "redis://127.0.0.1:6379/0"
CONTENT = "/api/v1/content"
LOOKUPS = "moderation_content_cache_lookups_total"

pytestmark = pytest.mark.asyncio


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Overrides the package fixture: the real local Redis, and no worker, so that items stay
    # pending until a test decides them.
    return make_settings(database_url, redis_url=REDIS_URL, worker_enabled=False)


@pytest_asyncio.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest_asyncio.fixture
async def tenant(make_tenant: MakeTenant, redis: Redis) -> AsyncIterator[TenantHandle]:
    handle = await make_tenant()
    yield handle
    await _forget(redis, handle.id)


async def _forget(redis: Redis, tenant_id: uuid.UUID) -> None:
    keys = [key async for key in redis.scan_iter(match=_tenant_keys(tenant_id))]
    if keys:
        await redis.delete(*keys)


def _tenant_keys(tenant_id: uuid.UUID) -> str:
    return f"moderation:content:{{{tenant_id}}}*"


def _cache(app: FastAPI) -> ContentReadCache:
    cache = app.state.resources.content_cache
    assert isinstance(cache, ContentReadCache)
    return cache


def _entry(app: FastAPI, tenant: TenantHandle, content_id: str) -> str:
    return _cache(app).keys(tenant.id, uuid.UUID(content_id))[0]


def _lookups(app: FastAPI, outcome: str) -> float:
    registry = app.state.resources.metrics.registry
    return registry.get_sample_value(LOOKUPS, {"outcome": outcome}) or 0.0


async def _create(client: httpx.AsyncClient, tenant: TenantHandle, **fields: object) -> str:
    created = await client.post(CONTENT, headers=tenant.headers, json=content_body(**fields))
    assert created.status_code == 201, created.text
    content_id: str = created.json()["id"]
    return content_id


async def _get(client: httpx.AsyncClient, tenant: TenantHandle, content_id: str) -> httpx.Response:
    response = await client.get(f"{CONTENT}/{content_id}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response


async def _status(client: httpx.AsyncClient, tenant: TenantHandle, content_id: str) -> str:
    status: str = (await _get(client, tenant, content_id)).json()["moderation_status"]
    return status


async def _cached_pending(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, redis: Redis
) -> str:
    """A new item, read once so that the cache holds it as pending."""
    content_id = await _create(client, tenant)
    assert await _status(client, tenant, content_id) == "pending"
    assert await redis.exists(_entry(app, tenant, content_id)) == 1
    return content_id


async def test_a_second_get_is_a_hit_with_the_same_bytes_as_without_the_cache(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    redis: Redis,
    database_url: str,
    tiny_engine: Engine,
) -> None:
    # Non-ASCII text and a float that JSON encoders write in different notations.
    metadata = {"thread": "é ✓", "ratio": 3.2e-05}
    content_id = await _create(client, tenant, metadata=metadata)
    hits, misses = _lookups(app, "hit"), _lookups(app, "miss")

    first = await _get(client, tenant, content_id)
    second = await _get(client, tenant, content_id)

    assert (_lookups(app, "miss"), _lookups(app, "hit")) == (misses + 1, hits + 1)
    assert first.content == second.content
    assert second.headers["content-type"] == "application/json"
    assert 0 < await redis.ttl(_entry(app, tenant, content_id)) <= 300
    uncached_app = create_app(make_settings(database_url, worker_enabled=False), engine=tiny_engine)
    async with uncached_app.router.lifespan_context(uncached_app):
        await asyncio.wait_for(uncached_app.state.resources.ready.wait(), 30)
        transport = httpx.ASGITransport(app=uncached_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
            uncached = await _get(other, tenant, content_id)
    assert uncached_app.state.resources.content_cache is None
    assert second.content == uncached.content
    # The same document as FastAPI's own rendering of the model (the listing's item).
    listed = await client.get(CONTENT, headers=tenant.headers)
    assert listed.status_code == 200, listed.text
    body = json.loads(second.content)
    assert body == listed.json()["items"][0]
    assert list(body) == list(ContentResponse.model_fields)
    assert body["metadata"] == metadata


async def test_a_reviewer_decision_is_seen_by_the_next_get(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, redis: Redis
) -> None:
    content_id = await _cached_pending(app, client, tenant, redis)

    decided = await client.post(
        f"{CONTENT}/{content_id}/moderate",
        headers=tenant.headers,
        json={"status": "rejected", "reasons": ["spam"]},
    )

    assert decided.status_code == 200, decided.text
    body = (await _get(client, tenant, content_id)).json()
    assert body["moderation_status"] == "rejected"
    assert body["moderation_reasons"] == ["spam"]
    # Read again, it comes from the cache, and is still the decision.
    hits = _lookups(app, "hit")
    assert await _status(client, tenant, content_id) == "rejected"
    assert _lookups(app, "hit") == hits + 1


async def test_a_reanalysis_is_seen_by_the_next_get(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, redis: Redis
) -> None:
    content_id = await _cached_pending(app, client, tenant, redis)

    analyzed = await client.post(f"{CONTENT}/{content_id}/analyze", headers=tenant.headers)

    assert analyzed.status_code == 200, analyzed.text
    decision = analyzed.json()["status"]
    assert decision != "pending"
    assert await _status(client, tenant, content_id) == decision


async def test_bulk_decisions_are_seen_by_the_next_get(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, redis: Redis
) -> None:
    first = await _cached_pending(app, client, tenant, redis)
    second = await _cached_pending(app, client, tenant, redis)

    bulk = await client.post(
        f"{CONTENT}/moderate/bulk",
        headers=tenant.headers,
        json={
            "items": [
                {"content_id": first, "status": "approved"},
                {"content_id": second, "status": "flagged", "reasons": ["harassment"]},
            ]
        },
    )

    assert bulk.status_code == 200, bulk.text
    assert bulk.json()["decided"] == 2
    assert await _status(client, tenant, first) == "approved"
    assert await _status(client, tenant, second) == "flagged"


async def test_an_engine_decision_of_the_in_process_worker_is_seen_by_the_next_get(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, redis: Redis
) -> None:
    content_id = await _cached_pending(app, client, tenant, redis)
    resources = app.state.resources
    worker = InProcessWorker(resources.transactions, resources.scorer, batch_size=1000)

    while await worker.run_once():
        pass

    assert await _status(client, tenant, content_id) != "pending"


async def test_an_engine_decision_of_a_task_handler_is_seen_by_the_next_get(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    redis: Redis,
    settings: Settings,
    tiny_engine: Engine,
) -> None:
    content_id = await _cached_pending(app, client, tenant, redis)
    # A handler context of its own, as in a Celery worker: its own database pool and cache.
    context = engine_context(settings, tiny_engine)
    try:
        assert await moderate_content(context, [content_id]) >= 1
    finally:
        await context.close()

    assert await _status(client, tenant, content_id) != "pending"


async def test_another_tenants_get_is_a_404_and_caches_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    make_tenant: MakeTenant,
    redis: Redis,
) -> None:
    content_id = await _cached_pending(app, client, tenant, redis)
    intruder = await make_tenant()
    try:
        for _ in range(2):
            response = await client.get(f"{CONTENT}/{content_id}", headers=intruder.headers)
            assert response.status_code == 404, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["status"] == 404
        assert await redis.exists(_entry(app, intruder, content_id)) == 0
        assert await _status(client, tenant, content_id) == "pending"
    finally:
        await _forget(redis, intruder.id)


async def test_gets_keep_working_while_redis_is_down(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    down = create_app(
        make_settings(database_url, redis_url="redis://127.0.0.1:1/0", worker_enabled=False),
        engine=tiny_engine,
    )
    # Captured, not rendered: a rendered Redis traceback takes seconds.
    with capture_logs():
        async with down.router.lifespan_context(down):
            await asyncio.wait_for(down.state.resources.ready.wait(), 30)
            transport = httpx.ASGITransport(app=down)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
                content_id = await _create(http, tenant)
                first = await _get(http, tenant, content_id)
                decided = await http.post(
                    f"{CONTENT}/{content_id}/moderate",
                    headers=tenant.headers,
                    json={"status": "approved"},
                )
                assert decided.status_code == 200, decided.text
                second = await _get(http, tenant, content_id)

    assert first.json()["moderation_status"] == "pending"
    assert second.json()["moderation_status"] == "approved"
    registry = down.state.resources.metrics.registry
    assert (registry.get_sample_value("moderation_redis_errors_total") or 0) >= 1
    assert _lookups(down, "bypass") == 2
    assert _lookups(down, "hit") == _lookups(down, "miss") == 0


async def test_a_zero_ttl_turns_the_content_cache_off(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant, redis: Redis
) -> None:
    tenant = await make_tenant()
    off = create_app(
        make_settings(
            database_url, redis_url=REDIS_URL, worker_enabled=False, content_cache_seconds=0
        ),
        engine=tiny_engine,
    )
    async with off.router.lifespan_context(off):
        await asyncio.wait_for(off.state.resources.ready.wait(), 30)
        transport = httpx.ASGITransport(app=off)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            content_id = await _create(http, tenant)
            first = await _get(http, tenant, content_id)
            second = await _get(http, tenant, content_id)
            keys_after_reads = [k async for k in redis.scan_iter(match=_tenant_keys(tenant.id))]
            # Another replica, caching, stored the item: this one's write must still evict it.
            entry = _entry(off, tenant, content_id)
            await redis.set(entry, b"replica-entry", ex=60)
            decided = await http.post(
                f"{CONTENT}/{content_id}/moderate",
                headers=tenant.headers,
                json={"status": "approved"},
            )
            entry_left = await redis.exists(entry)

    assert first.content == second.content
    assert keys_after_reads == []
    assert _lookups(off, "hit") == _lookups(off, "miss") == 0
    assert decided.status_code == 200, decided.text
    assert entry_left == 0
