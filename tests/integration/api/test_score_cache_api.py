"""The Redis score cache behind POST /moderate, and the backlog gauge in /metrics."""

import asyncio
import contextlib
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

from moderation.core.config import Settings
from moderation.infrastructure.cache import ScoreCache
from moderation.infrastructure.repositories import SqlContentRepository
from moderation.main import create_app
from moderation.ml.engine import Engine

MakeTenant = Callable[..., Awaitable[TenantHandle]]
REDIS_URL = "redis://127.0.0.1:6379/0"
MODERATE = "/api/v1/moderate"
BRAND_TEXT = "Have you seen the new crapple phone?"
BLOCK_RULE = {
    "id": "brand-slur",
    "pattern": "crapple",
    "kind": "word",
    "category": "insult",
    "action": "reject",
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Overrides the package fixture: this module's app talks to the real local Redis.
    return make_settings(database_url, redis_url=REDIS_URL, worker_enabled=False)


@pytest_asyncio.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


async def _moderate(client: httpx.AsyncClient, tenant: TenantHandle, *texts: str) -> object:
    items = [{"id": f"i{n}", "text": text} for n, text in enumerate(texts)]
    response = await client.post(MODERATE, headers=tenant.headers, json={"items": items})
    assert response.status_code == 200, response.text
    return response.json()


def _cache_key(tenant: TenantHandle, policy_version: int, model_version: str, text: str) -> str:
    # Only `key` is used: it needs no client, so an unconnected one will do.
    cache = ScoreCache(Redis(), ttl_seconds=1)
    return cache.key(tenant.id, policy_version, model_version, text)


@pytest.mark.asyncio
async def test_a_repeated_text_is_served_from_the_cache(
    client: httpx.AsyncClient, tenant: TenantHandle, redis: Redis
) -> None:
    text = f"Thanks, this fixed my problem! {uuid.uuid4()}"
    first = await _moderate(client, tenant, text)
    assert isinstance(first, dict)
    key = _cache_key(tenant, 0, first["model_version"], text)
    stored = await redis.get(key)
    assert stored is not None
    assert 3500 < await redis.ttl(key) <= 3600
    # Mark the stored entry: only a response read from the cache can carry the mark.
    entry = json.loads(stored)
    entry["language"] = "xx-cached"
    await redis.set(key, json.dumps(entry), ex=60)

    second = await _moderate(client, tenant, text, text)

    assert isinstance(second, dict)
    assert [result["language"] for result in second["results"]] == ["xx-cached", "xx-cached"]
    assert [result["id"] for result in second["results"]] == ["i0", "i1"]
    assert second["results"][0]["decision"] == first["results"][0]["decision"]


@pytest.mark.asyncio
async def test_a_policy_change_applies_at_once_to_a_cached_text(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    before = await _moderate(client, tenant, BRAND_TEXT)
    again = await _moderate(client, tenant, BRAND_TEXT)
    assert isinstance(before, dict)
    assert isinstance(again, dict)
    assert before["results"][0]["decision"] != "reject"
    assert again["results"] == before["results"]

    put = await client.put(
        "/api/v1/policy", headers=tenant.headers, json={"term_rules": [BLOCK_RULE]}
    )
    assert put.status_code == 200, put.text
    after = await _moderate(client, tenant, BRAND_TEXT)

    assert isinstance(after, dict)
    assert after["policy_version"] == 1
    assert after["results"][0]["decision"] == "reject"


@pytest.mark.asyncio
async def test_moderate_keeps_serving_when_redis_is_down(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    down = create_app(
        make_settings(database_url, redis_url="redis://127.0.0.1:1/0", worker_enabled=False),
        engine=tiny_engine,
    )
    async with down.router.lifespan_context(down):
        await asyncio.wait_for(down.state.resources.ready.wait(), 30)
        transport = httpx.ASGITransport(app=down)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            with capture_logs() as logs:
                first = await _moderate(client, tenant, BRAND_TEXT)
                second = await _moderate(client, tenant, BRAND_TEXT)
        registry = down.state.resources.metrics.registry

    assert isinstance(first, dict)
    assert isinstance(second, dict)
    assert first["results"] == second["results"]
    assert (registry.get_sample_value("moderation_redis_errors_total") or 0) >= 1
    # The breaker keeps the second request off Redis: one warning, not one per request.
    assert [log["event"] for log in logs].count("score_cache.redis_failed") == 1


@pytest.mark.asyncio
async def test_metrics_report_the_pending_backlog_from_the_database(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    for n in range(3):
        created = await client.post(
            "/api/v1/content", headers=tenant.headers, json=content_body(title=f"t{n}")
        )
        assert created.status_code == 201, created.text
    async with app.state.resources.database.sessions() as session:
        pending = await SqlContentRepository(session).pending_count()

    scraped = await client.get("/metrics", headers=tenant.headers)

    assert scraped.status_code == 200, scraped.text
    gauge = next(
        line for line in scraped.text.splitlines() if line.startswith("moderation_queue_depth ")
    )
    assert float(gauge.split()[1]) == pending
    assert pending >= 3


# --- The cache's bounds: a TTL and a budget on every entry, off the broker's database. -------
# Databases 14 and 15 of the local Redis belong to these tests: emptied before and after.
BROKER_DB, CACHE_DB = 14, 15
ENTRY_PATTERN = "moderation:score:*-*"  # entries start with the tenant's uuid, not "~"


@pytest_asyncio.fixture
async def own_dbs() -> AsyncIterator[dict[int, Redis]]:
    clients = {db: Redis.from_url(f"redis://127.0.0.1:6379/{db}") for db in (BROKER_DB, CACHE_DB)}
    for client in clients.values():
        await client.flushdb()
    yield clients
    for client in clients.values():
        await client.flushdb()
        await client.aclose()


@contextlib.asynccontextmanager
async def _cache_app(
    database_url: str, engine: Engine, **overrides: object
) -> AsyncIterator[httpx.AsyncClient]:
    values: dict[str, object] = {
        "redis_url": f"redis://127.0.0.1:6379/{CACHE_DB}",
        "worker_enabled": False,
        **overrides,
    }
    app = create_app(make_settings(database_url, **values), engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def _entries(client: Redis) -> list[bytes]:
    return [key async for key in client.scan_iter(match=ENTRY_PATTERN, count=1000)]


@pytest.mark.asyncio
async def test_the_cache_never_holds_more_entries_than_its_budget(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant, own_dbs: dict[int, Redis]
) -> None:
    tenant = await make_tenant()
    texts = [f"Thanks, this fixed my problem! number {n}" for n in range(12)]
    async with _cache_app(database_url, tiny_engine, score_cache_max_entries=5) as client:
        await _moderate(client, tenant, *texts[:8])
        for text in texts[8:]:
            await _moderate(client, tenant, text)
        again = await _moderate(client, tenant, *texts)

    assert isinstance(again, dict)
    assert [result["id"] for result in again["results"]] == [f"i{n}" for n in range(12)]
    cache = own_dbs[CACHE_DB]
    entries = await _entries(cache)
    assert len(entries) == 5
    # Every key the cache wrote, its accounting included, expires.
    for key in await cache.keys("moderation:score:*"):
        assert 0 < await cache.pttl(key) <= 3_600_000


@pytest.mark.asyncio
async def test_the_cache_never_holds_more_bytes_than_its_budget(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant, own_dbs: dict[int, Redis]
) -> None:
    tenant = await make_tenant()
    texts = [f"Have you seen the new phone? Variant {n} of many." for n in range(40)]
    async with _cache_app(database_url, tiny_engine, score_cache_max_bytes=4096) as client:
        await _moderate(client, tenant, *texts[:20])
        await _moderate(client, tenant, *texts[20:])

    cache = own_dbs[CACHE_DB]
    entries = await _entries(cache)
    stored = 0
    for key in entries:
        value = await cache.get(key)
        assert isinstance(value, bytes)
        stored += ScoreCache.entry_size(key.decode(), value)
    assert 0 < len(entries) < 40
    assert stored <= 4096
    assert int(await cache.get("moderation:score:~bytes") or 0) == stored


@pytest.mark.asyncio
async def test_a_result_over_the_entry_size_is_returned_but_not_cached(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant, own_dbs: dict[int, Redis]
) -> None:
    tenant = await make_tenant()
    texts = ("Thanks, this fixed my problem!", "you idiot")
    # Every result (scores of each category, the tier, the model) is larger than 256 bytes.
    async with _cache_app(database_url, tiny_engine, score_cache_max_entry_bytes=256) as client:
        first = await _moderate(client, tenant, *texts)
        again = await _moderate(client, tenant, *texts)

    assert isinstance(first, dict)
    assert all(len(json.dumps(result)) > 256 for result in first["results"])
    assert isinstance(again, dict)
    assert again["results"] == first["results"]
    assert await _entries(own_dbs[CACHE_DB]) == []


@pytest.mark.asyncio
async def test_the_cache_stays_off_the_brokers_database(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant, own_dbs: dict[int, Redis]
) -> None:
    tenant = await make_tenant()
    shared = f"redis://127.0.0.1:6379/{BROKER_DB}"
    async with _cache_app(
        database_url, tiny_engine, redis_url=shared, broker_url=shared, sweep_seconds=3600
    ) as client:
        await _moderate(client, tenant, "one text", "another text")

    assert await own_dbs[BROKER_DB].keys("moderation:score:*") == []
    assert len(await _entries(own_dbs[CACHE_DB])) == 2
