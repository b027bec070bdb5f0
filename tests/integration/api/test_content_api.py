"""POST/GET /content, listing, stats and Idempotency-Key, on SQLite and PostgreSQL."""

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from tests.integration.api.support import TenantHandle, content_body, wait_until_decided

from moderation.domain.models import Scope
from moderation.domain.models.new_content import (
    MAX_METADATA_BYTES,
    MAX_METADATA_DEPTH,
    MAX_METADATA_KEYS,
)
from moderation.domain.services import TenantService
from moderation.infrastructure.database.tables import OutboxRow
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository

TOXIC = "You are a stupid idiot and I hate you"
PROBLEM_JSON = "application/problem+json"


def _nested(depth: int) -> dict[str, Any]:
    """A metadata object `depth` levels deep (counting itself), with lists among the levels."""
    value: Any = {"leaf": True}
    for level in range(depth - 1, 0, -1):
        # Counted from the outside: level 1 (the object) and every other level are objects.
        value = {"k": value} if level % 2 else [value]
    assert isinstance(value, dict)
    return value


async def _create(client: httpx.AsyncClient, tenant: TenantHandle, **overrides: object) -> Any:
    response = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(**overrides)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _events(app: FastAPI, content_id: str) -> list[OutboxRow]:
    async with app.state.resources.database.transaction() as session:
        rows = await session.scalars(
            select(OutboxRow)
            .where(OutboxRow.aggregate_id == uuid.UUID(content_id))
            .order_by(OutboxRow.occurred_at)
        )
        return list(rows)


@pytest.mark.asyncio
async def test_create_stores_a_pending_item_with_normalised_tags(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # Twelve raw tags that normalise to ten: the limit applies after normalisation.
    raw_tags = [" News ", "news", "", "  ", "SPORTS", "a", "B", "c", "d", "e", "f", "g"]
    response = await client.post(
        "/api/v1/content",
        headers=tenant.headers,
        json=content_body(language="en", tags=raw_tags, metadata={"product_id": "B1", "n": 3}),
    )

    assert response.status_code == 201, response.text
    item = response.json()
    assert response.headers["Location"] == f"/api/v1/content/{item['id']}"
    assert item["moderation_status"] == "pending"
    assert item["moderated_by"] is None
    assert item["tags"] == ["news", "sports", "a", "b", "c", "d", "e", "f", "g"]
    assert item["metadata"] == {"product_id": "B1", "n": 3}
    assert item["language"] == "en"
    fetched = await client.get(response.headers["Location"], headers=tenant.headers)
    assert fetched.status_code == 200
    assert fetched.json()["id"] == item["id"]
    assert fetched.json()["tags"] == item["tags"]
    assert fetched.json()["body"] == content_body()["body"]


@pytest.mark.asyncio
async def test_engine_decides_after_commit_and_records_events(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    created = await _create(client, tenant, body=TOXIC)

    decided = await wait_until_decided(client, tenant, created["id"])

    assert decided["moderation_status"] in {"flagged", "rejected"}
    assert decided["moderated_by"] == "engine"
    assert decided["moderation_score"] is not None
    assert decided["moderated_at"] is not None
    events = await _events(app, created["id"])
    assert [e.event_type for e in events] == ["ContentCreated", "ContentModerated"]
    assert events[1].payload["status"] == decided["moderation_status"]
    assert events[1].payload["policy_version"] == 0
    assert all(e.tenant_id == tenant.id for e in events)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "x" * 201),
        ("body", "x" * 10_001),
        ("content_type", "pdf"),
        ("language", "EN"),
        ("language", "eng"),
        ("tags", [f"tag-{i}" for i in range(11)]),
        # About 300 levels in 2 kB: stored, it made every read of the item (and its list) fail.
        ("metadata", _nested(300)),
        ("metadata", _nested(MAX_METADATA_DEPTH + 1)),
        ("metadata", {f"k{i}": i for i in range(MAX_METADATA_KEYS + 1)}),
        ("metadata", {"blob": "x" * MAX_METADATA_BYTES}),
    ],
)
async def test_invalid_content_is_a_problem_naming_the_field(
    client: httpx.AsyncClient, tenant: TenantHandle, field: str, value: object
) -> None:
    response = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(**{field: value})
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["status"] == 422
    assert [e["field"] for e in problem["errors"]] == [f"body.{field}"]
    listing = await client.get("/api/v1/content", headers=tenant.headers)
    assert listing.json()["total"] == 0


@pytest.mark.asyncio
async def test_unknown_item_is_a_404_problem(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    missing = uuid.uuid4()

    response = await client.get(f"/api/v1/content/{missing}", headers=tenant.headers)

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert str(missing) in response.json()["detail"]


async def _seed_listing(client: httpx.AsyncClient, tenant: TenantHandle) -> list[str]:
    """Five items, oldest first, each decided by a reviewer so their status is known."""
    specs: list[tuple[str, list[str]]] = [
        ("alice", ["news"]),
        ("bob", ["news", "sport"]),
        ("alice", ["sport"]),
        ("carol", []),
        ("alice", ["news"]),
    ]
    ids = []
    for author, tags in specs:
        ids.append((await _create(client, tenant, author_id=author, tags=tags))["id"])
    # Let the engine finish first: the reviewer's decisions below are then the final word.
    await asyncio.gather(*(wait_until_decided(client, tenant, i) for i in ids))
    decisions = [
        {"content_id": ids[0], "status": "rejected", "reasons": ["spam"]},
        {"content_id": ids[1], "status": "flagged", "reasons": ["harassment", "profanity"]},
        {"content_id": ids[2], "status": "rejected", "reasons": ["spam", "harassment"]},
        {"content_id": ids[3], "status": "approved"},
        {"content_id": ids[4], "status": "approved"},
    ]
    bulk = await client.post(
        "/api/v1/content/moderate/bulk", headers=tenant.headers, json={"items": decisions}
    )
    assert bulk.json()["decided"] == 5, bulk.text
    return ids


async def _list(client: httpx.AsyncClient, tenant: TenantHandle, **params: str | int) -> Any:
    response = await client.get("/api/v1/content", headers=tenant.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_listing_filters_by_status_author_and_tag(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    ids = await _seed_listing(client, tenant)

    rejected = await _list(client, tenant, status="rejected")
    by_alice = await _list(client, tenant, author_id="alice")
    news = await _list(client, tenant, tag=" NEWS ")
    alice_news_approved = await _list(
        client, tenant, author_id="alice", tag="news", status="approved"
    )
    nobody = await _list(client, tenant, author_id="nobody")

    assert {i["id"] for i in rejected["items"]} == {ids[0], ids[2]}
    assert rejected["total"] == 2
    assert {i["id"] for i in by_alice["items"]} == {ids[0], ids[2], ids[4]}
    assert {i["id"] for i in news["items"]} == {ids[0], ids[1], ids[4]}
    assert [i["id"] for i in alice_news_approved["items"]] == [ids[4]]
    assert nobody == {"items": [], "total": 0, "page": 1, "size": 20, "pages": 0}


@pytest.mark.asyncio
async def test_listing_paginates_newest_first(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    ids = [(await _create(client, tenant, title=f"item {n}"))["id"] for n in range(5)]

    pages = [await _list(client, tenant, page=p, size=2) for p in (1, 2, 3, 4)]

    assert [(p["total"], p["page"], p["size"], p["pages"]) for p in pages] == [
        (5, 1, 2, 3),
        (5, 2, 2, 3),
        (5, 3, 2, 3),
        (5, 4, 2, 3),
    ]
    seen = [item["id"] for p in pages for item in p["items"]]
    assert [len(p["items"]) for p in pages] == [2, 2, 1, 0]
    assert seen == list(reversed(ids))


@pytest.mark.asyncio
@pytest.mark.parametrize("params", [{"size": 0}, {"size": 101}, {"page": 0}, {"status": "x"}])
async def test_listing_rejects_bad_query_parameters(
    client: httpx.AsyncClient, tenant: TenantHandle, params: dict[str, str | int]
) -> None:
    response = await client.get("/api/v1/content", headers=tenant.headers, params=params)

    assert response.status_code == 422
    [name] = params
    assert [e["field"] for e in response.json()["errors"]] == [f"query.{name}"]


@pytest.mark.asyncio
async def test_stats_count_per_status_and_reason(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    await _seed_listing(client, tenant)

    response = await client.get("/api/v1/content/stats", headers=tenant.headers)

    assert response.status_code == 200
    stats = response.json()
    assert stats["total"] == 5
    assert stats["by_status"] == {"pending": 0, "approved": 2, "flagged": 1, "rejected": 2}
    assert stats["by_reason"]["spam"] == 2
    assert stats["by_reason"]["harassment"] == 2
    assert stats["by_reason"]["profanity"] == 1
    assert stats["by_reason"]["hate_speech"] == 0


@pytest.mark.asyncio
async def test_idempotent_retry_returns_the_first_item_and_creates_nothing(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "order-42"}
    body = content_body(tags=["Retry"])

    first = await client.post("/api/v1/content", headers=headers, json=body)
    retry = await client.post("/api/v1/content", headers=headers, json=body)

    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    assert retry.status_code == 200, retry.text
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.json()["id"] == first.json()["id"]
    assert retry.json()["tags"] == ["retry"]
    assert (await _list(client, tenant))["total"] == 1
    created = [
        e for e in await _events(app, first.json()["id"]) if e.event_type == "ContentCreated"
    ]
    assert len(created) == 1


@pytest.mark.asyncio
async def test_idempotency_key_reused_with_another_body_conflicts(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "order-43"}
    first = await client.post("/api/v1/content", headers=headers, json=content_body())

    clash = await client.post(
        "/api/v1/content", headers=headers, json=content_body(title="Another title")
    )

    assert first.status_code == 201
    assert clash.status_code == 409
    assert clash.headers["content-type"] == PROBLEM_JSON
    assert clash.json()["status"] == 409
    assert "Idempotency-Key" in clash.json()["detail"]
    assert (await _list(client, tenant))["total"] == 1


@pytest.mark.asyncio
async def test_concurrent_retries_with_one_idempotency_key_create_one_item(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "burst-1"}

    responses = await asyncio.gather(
        *(client.post("/api/v1/content", headers=headers, json=content_body()) for _ in range(5))
    )

    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1, [r.text for r in responses]
    assert set(codes) <= {200, 201, 409}
    created_ids = {r.json()["id"] for r in responses if r.status_code in {200, 201}}
    assert len(created_ids) == 1
    assert all(r.headers["Retry-After"] == "1" for r in responses if r.status_code == 409)
    listing = await _list(client, tenant)
    assert [item["id"] for item in listing["items"]] == list(created_ids)


@pytest.mark.asyncio
async def test_metadata_at_the_limits_is_stored_and_readable_alone_and_listed(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    metadata = _nested(MAX_METADATA_DEPTH)
    created = await _create(client, tenant, metadata=metadata)
    keyed = await _create(client, tenant, metadata={f"k{i}": i for i in range(MAX_METADATA_KEYS)})

    fetched = await client.get(f"/api/v1/content/{created['id']}", headers=tenant.headers)
    listed = await _list(client, tenant)

    assert fetched.status_code == 200
    assert fetched.json()["metadata"] == metadata
    assert {item["id"] for item in listed["items"]} == {created["id"], keyed["id"]}


@pytest.mark.asyncio
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
async def test_non_finite_metadata_numbers_are_a_422_not_an_unreadable_item(
    client: httpx.AsyncClient, tenant: TenantHandle, number: str
) -> None:
    # Python's JSON decoder accepts these words; JSON (and PostgreSQL's jsonb) do not.
    raw = json.dumps(content_body())[:-1] + f', "metadata": {{"x": {number}}}}}'

    response = await client.post(
        "/api/v1/content",
        headers={**tenant.headers, "Content-Type": "application/json"},
        content=raw.encode(),
    )

    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.metadata"]
    assert (await _list(client, tenant))["total"] == 0


def _without_author(**overrides: object) -> dict[str, object]:
    body = content_body(**overrides)
    del body["author_id"]
    return body


@pytest.mark.asyncio
async def test_without_author_id_the_api_key_is_the_author(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async with app.state.resources.database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        created_tenant = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
        record, key = await service.create_key(
            created_tenant.name, {Scope.CONTENT_READ, Scope.CONTENT_WRITE}
        )
    headers = {"Authorization": f"Bearer {key}"}

    implicit = await client.post("/api/v1/content", headers=headers, json=_without_author())
    explicit = await client.post(
        "/api/v1/content", headers=headers, json=content_body(author_id="user-8231")
    )

    assert implicit.status_code == 201, implicit.text
    assert implicit.json()["author_id"] == f"key:{record.id}"
    assert explicit.json()["author_id"] == "user-8231"
    mine = await client.get(
        "/api/v1/content", headers=headers, params={"author_id": f"key:{record.id}"}
    )
    assert [item["id"] for item in mine.json()["items"]] == [implicit.json()["id"]]


@pytest.mark.asyncio
async def test_without_author_id_the_jwt_subject_is_the_author(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    jwt = app.state.resources.jwt
    scopes = [Scope.CONTENT_READ, Scope.CONTENT_WRITE]
    alice = {"Authorization": f"Bearer {jwt.issue('alice', tenant.id, scopes)}"}
    # A subject that is no valid author id (a space): the client must then name the author.
    spaced = {"Authorization": f"Bearer {jwt.issue('Alice Smith', tenant.id, scopes)}"}

    created = await client.post("/api/v1/content", headers=alice, json=_without_author())
    refused = await client.post("/api/v1/content", headers=spaced, json=_without_author())
    named = await client.post("/api/v1/content", headers=spaced, json=content_body())

    assert created.status_code == 201, created.text
    assert created.json()["author_id"] == "user:alice"
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM_JSON
    assert "author_id" in refused.json()["detail"]
    assert named.status_code == 201
    assert named.json()["author_id"] == "author-1"
