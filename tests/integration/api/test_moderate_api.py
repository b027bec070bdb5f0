"""POST /moderate: stateless scoring of 1..100 texts under the tenant's policy."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from tests.integration.api.support import TenantHandle

from moderation.domain.models import Category, Scope
from moderation.domain.policy import ModerationPolicy
from moderation.ml.engine import Engine

MakeTenant = Callable[..., Awaitable[TenantHandle]]
PROBLEM_JSON = "application/problem+json"
MODERATE = "/api/v1/moderate"
BENIGN = "Thanks, this fixed my problem!"
TOXIC = "You are a stupid idiot and I hate you"
SWEARY = "this shit rocks"

RESULT_FIELDS = {
    "id",
    "scores",
    "score",
    "confidence",
    "decision",
    "reasons",
    "spans",
    "language",
    "language_confidence",
    "sentiment",
    "tier",
    "model_version",
    "truncated",
}


async def _moderate(
    client: httpx.AsyncClient, tenant: TenantHandle, items: list[dict[str, str]]
) -> Any:
    response = await client.post(MODERATE, headers=tenant.headers, json={"items": items})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_one_text_gets_the_clis_result_record(
    client: httpx.AsyncClient, tenant: TenantHandle, tiny_engine: Engine
) -> None:
    body = await _moderate(client, tenant, [{"id": "c-1", "text": TOXIC}])

    [result] = body["results"]
    assert set(result) == RESULT_FIELDS
    assert result["id"] == "c-1"
    assert set(result["scores"]) == {category.value for category in Category}
    assert all(0.0 <= value <= 1.0 for value in result["scores"].values())
    assert result["decision"] == "reject"
    assert result["reasons"] == ["harassment"]
    assert result["language"] == "en"
    spans = {TOXIC[span["start"] : span["end"]] for span in result["spans"]}
    assert {"stupid", "idiot"} <= spans
    assert body["policy_version"] == 0
    assert body["model_version"] == result["model_version"] == tiny_engine.model_version
    assert isinstance(body["processing_time_ms"], int)
    # The same record `moderation score` prints: {"id", **result.model_dump(mode="json")}.
    [expected] = tiny_engine.score([TOXIC], ModerationPolicy())
    assert result == {"id": "c-1", **expected.model_dump(mode="json")}


@pytest.mark.asyncio
async def test_several_texts_come_back_in_request_order_with_their_ids(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    items = [
        {"id": "z-last-alphabetically", "text": BENIGN},
        {"id": "a", "text": TOXIC},
        {"id": "m", "text": SWEARY},
        {"id": "a-dup-text", "text": TOXIC},
    ]

    body = await _moderate(client, tenant, items)

    assert [r["id"] for r in body["results"]] == [item["id"] for item in items]
    # Untargeted swearing is scored but decides nothing under the default policy.
    assert [r["decision"] for r in body["results"]] == ["approve", "reject", "approve", "reject"]
    assert body["results"][1]["scores"] == body["results"][3]["scores"]


@pytest.mark.asyncio
async def test_a_full_batch_of_100_is_accepted(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    items = [{"id": str(i), "text": TOXIC if i % 2 else BENIGN} for i in range(100)]

    body = await _moderate(client, tenant, items)

    assert len(body["results"]) == 100
    assert body["results"][99]["id"] == "99"
    assert body["results"][99]["decision"] == "reject"
    assert body["results"][98]["decision"] == "approve"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([], "body.items"),
        ([{"id": str(i), "text": "hello"} for i in range(101)], "body.items"),
        ([{"id": "long", "text": "a" * 100_001}], "body.items.0.text"),
        ([{"id": "", "text": "hello"}], "body.items.0.id"),
        ([{"id": "x", "text": ""}], "body.items.0.text"),
    ],
    ids=["no-items", "101-items", "text-too-long", "empty-id", "empty-text"],
)
async def test_out_of_bounds_requests_are_422(
    client: httpx.AsyncClient, tenant: TenantHandle, items: list[dict[str, str]], field: str
) -> None:
    response = await client.post(MODERATE, headers=tenant.headers, json={"items": items})

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert field in [error["field"] for error in response.json()["errors"]]


@pytest.mark.asyncio
async def test_unknown_fields_are_422(client: httpx.AsyncClient, tenant: TenantHandle) -> None:
    response = await client.post(
        MODERATE,
        headers=tenant.headers,
        json={"items": [{"id": "1", "text": "hi"}], "tenant_id": "someone-else"},
    )

    assert response.status_code == 422
    assert "body.tenant_id" in [error["field"] for error in response.json()["errors"]]


@pytest.mark.asyncio
async def test_nothing_is_stored(client: httpx.AsyncClient, tenant: TenantHandle) -> None:
    await _moderate(client, tenant, [{"id": "1", "text": TOXIC}, {"id": "2", "text": BENIGN}])

    listed = await client.get("/api/v1/content", headers=tenant.headers)
    stats = await client.get("/api/v1/content/stats", headers=tenant.headers)

    assert listed.status_code == 200
    assert listed.json()["total"] == 0
    assert listed.json()["items"] == []
    assert stats.status_code == 200
    assert stats.json()["total"] == 0
    assert sum(stats.json()["by_status"].values()) == 0


@pytest.mark.asyncio
async def test_needs_the_moderate_scope(client: httpx.AsyncClient, make_tenant: MakeTenant) -> None:
    writer = await make_tenant(scopes={Scope.CONTENT_WRITE, Scope.CONTENT_READ})

    response = await client.post(
        MODERATE, headers=writer.headers, json={"items": [{"id": "1", "text": "hi"}]}
    )

    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM_JSON
