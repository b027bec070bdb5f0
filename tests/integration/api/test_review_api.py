"""Human decisions, re-analysis, bulk decisions, history and the append-only audit log."""

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError
from tests.integration.api.support import TenantHandle, content_body, wait_until_decided

from moderation.infrastructure.database.tables import AuditRow
from moderation.infrastructure.repositories import SqlApiKeyRepository
from moderation.ml.engine import Engine

MODERATION_RESPONSE_FIELDS = {
    "content_id",
    "status",
    "score",
    "reasons",
    "confidence",
    "processing_time_ms",
}


async def _decided_item(
    client: httpx.AsyncClient, tenant: TenantHandle, **overrides: object
) -> Any:
    response = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(**overrides)
    )
    assert response.status_code == 201, response.text
    return await wait_until_decided(client, tenant, response.json()["id"])


async def _key_actor(app: FastAPI, tenant: TenantHandle) -> str:
    """The actor name the service records for the tenant's key: "key:<key id>"."""
    prefix = tenant.key.split("_")[1]
    async with app.state.resources.database.transaction() as session:
        key = await SqlApiKeyRepository(session).get_by_prefix(prefix)
    assert key is not None
    return f"key:{key.id}"


async def _history(client: httpx.AsyncClient, tenant: TenantHandle, content_id: str) -> Any:
    response = await client.get(f"/api/v1/content/{content_id}/history", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_human_decision_returns_moderation_response_and_records_the_key(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    item = await _decided_item(client, tenant)

    response = await client.post(
        f"/api/v1/content/{item['id']}/moderate",
        headers=tenant.headers,
        json={"status": "rejected", "reasons": ["spam", "spam"], "notes": "link farm"},
    )

    assert response.status_code == 200, response.text
    result = response.json()
    assert set(result) == MODERATION_RESPONSE_FIELDS
    assert result["content_id"] == item["id"]
    assert result["status"] == "rejected"
    assert result["reasons"] == ["spam"]
    assert result["confidence"] == 1.0
    # A reviewer's decision keeps the engine's score for reference.
    assert result["score"] == item["moderation_score"]
    assert result["processing_time_ms"] >= 0
    stored = (await client.get(f"/api/v1/content/{item['id']}", headers=tenant.headers)).json()
    assert stored["moderation_status"] == "rejected"
    assert stored["moderated_by"] == await _key_actor(app, tenant)
    assert datetime.fromisoformat(stored["moderated_at"]) > datetime.fromisoformat(
        item["moderated_at"]
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("decision", "field"),
    [
        ({"status": "pending"}, "body.status"),
        ({"status": "deleted"}, "body.status"),
        ({"status": "approved", "reasons": ["rudeness"]}, "body.reasons.0"),
        ({"status": "approved", "notes": "n" * 1001}, "body.notes"),
    ],
)
async def test_invalid_decision_is_a_422_and_changes_nothing(
    client: httpx.AsyncClient, tenant: TenantHandle, decision: dict[str, object], field: str
) -> None:
    item = await _decided_item(client, tenant)

    response = await client.post(
        f"/api/v1/content/{item['id']}/moderate", headers=tenant.headers, json=decision
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    after = (await client.get(f"/api/v1/content/{item['id']}", headers=tenant.headers)).json()
    assert after == item


@pytest.mark.asyncio
async def test_deciding_an_unknown_item_is_a_404(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.post(
        f"/api/v1/content/{uuid.uuid4()}/moderate",
        headers=tenant.headers,
        json={"status": "approved"},
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.asyncio
async def test_analyze_reruns_the_engine_and_appends_an_audit_entry(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, tiny_engine: Engine
) -> None:
    item = await _decided_item(client, tenant, body="You are a stupid idiot and I hate you")

    response = await client.post(f"/api/v1/content/{item['id']}/analyze", headers=tenant.headers)

    assert response.status_code == 200, response.text
    result = response.json()
    assert set(result) == MODERATION_RESPONSE_FIELDS
    assert result["content_id"] == item["id"]
    assert result["status"] == item["moderation_status"]
    assert result["score"] == pytest.approx(item["moderation_score"])
    entries = (await _history(client, tenant, item["id"]))["entries"]
    assert [e["source"] for e in entries] == ["engine", "engine"]
    rerun = entries[-1]
    assert rerun["actor"] == f"engine (requested by {await _key_actor(app, tenant)})"
    assert rerun["model_version"] == tiny_engine.model_version
    assert rerun["status"] == result["status"]
    assert rerun["id"] != entries[0]["id"]


@pytest.mark.asyncio
async def test_analyze_replaces_a_reviewer_decision_only_when_asked(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    item = await _decided_item(client, tenant, body="You are a stupid idiot and I hate you")
    await client.post(
        f"/api/v1/content/{item['id']}/moderate",
        headers=tenant.headers,
        json={"status": "approved"},
    )
    path = f"/api/v1/content/{item['id']}/analyze"

    refused = await client.post(path, headers=tenant.headers)
    kept = (await client.get(f"/api/v1/content/{item['id']}", headers=tenant.headers)).json()
    overridden = await client.post(path, headers=tenant.headers, params={"override_human": "true"})

    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert kept["moderation_status"] == "approved"
    assert overridden.status_code == 200, overridden.text
    assert overridden.json()["status"] == item["moderation_status"]
    entries = (await _history(client, tenant, item["id"]))["entries"]
    assert [e["source"] for e in entries] == ["engine", "human", "engine"]
    stored = (await client.get(f"/api/v1/content/{item['id']}", headers=tenant.headers)).json()
    assert stored["moderated_by"] == "engine"


@pytest.mark.asyncio
async def test_analyze_records_the_policy_version_in_force(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    item = await _decided_item(client, tenant)
    policy = await client.get("/api/v1/policy", headers=tenant.headers)
    replaced = await client.put(
        "/api/v1/policy", headers=tenant.headers, json=policy.json()["policy"]
    )
    assert replaced.status_code == 200, replaced.text

    await client.post(f"/api/v1/content/{item['id']}/analyze", headers=tenant.headers)

    entries = (await _history(client, tenant, item["id"]))["entries"]
    assert [e["policy_version"] for e in entries] == [0, replaced.json()["version"]]
    assert replaced.json()["version"] == 1


@pytest.mark.asyncio
async def test_bulk_reports_each_item_and_unknown_ids_are_not_fatal(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    first = await _decided_item(client, tenant)
    second = await _decided_item(client, tenant)
    unknown = str(uuid.uuid4())

    response = await client.post(
        "/api/v1/content/moderate/bulk",
        headers=tenant.headers,
        json={
            "items": [
                {"content_id": first["id"], "status": "approved", "notes": "fine"},
                {"content_id": unknown, "status": "rejected"},
                {"content_id": second["id"], "status": "rejected", "reasons": ["harassment"]},
            ]
        },
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["decided"], body["failed"]) == (2, 1)
    results = body["results"]
    assert [(r["content_id"], r["outcome"]) for r in results] == [
        (first["id"], "decided"),
        (unknown, "not_found"),
        (second["id"], "decided"),
    ]
    assert results[0]["result"]["status"] == "approved"
    assert set(results[0]["result"]) == MODERATION_RESPONSE_FIELDS
    assert results[1]["result"] is None
    assert unknown in results[1]["error"]
    assert results[2]["result"]["reasons"] == ["harassment"]
    stored = (await client.get(f"/api/v1/content/{second['id']}", headers=tenant.headers)).json()
    assert (stored["moderation_status"], stored["moderation_reasons"]) == (
        "rejected",
        ["harassment"],
    )


@pytest.mark.asyncio
async def test_history_lists_engine_then_human_entries(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, tiny_engine: Engine
) -> None:
    item = await _decided_item(client, tenant)
    await client.post(
        f"/api/v1/content/{item['id']}/moderate",
        headers=tenant.headers,
        json={"status": "flagged", "reasons": ["misinformation"], "notes": "check the claim"},
    )

    history = await _history(client, tenant, item["id"])

    assert history["content_id"] == item["id"]
    engine_entry, human_entry = history["entries"]
    assert engine_entry["source"] == "engine"
    assert engine_entry["actor"] == "engine"
    assert engine_entry["status"] == item["moderation_status"]
    assert engine_entry["model_version"] == tiny_engine.model_version
    assert engine_entry["policy_version"] == 0
    assert set(engine_entry["scores"]) >= {"toxicity", "spam"}
    assert engine_entry["notes"] is None
    assert human_entry["source"] == "human"
    assert human_entry["actor"] == await _key_actor(app, tenant)
    assert human_entry["status"] == "flagged"
    assert human_entry["reasons"] == ["misinformation"]
    assert human_entry["notes"] == "check the claim"
    assert datetime.fromisoformat(engine_entry["created_at"]) <= datetime.fromisoformat(
        human_entry["created_at"]
    )


@pytest.mark.asyncio
@pytest.mark.parametrize("statement", ["update", "delete"])
async def test_audit_log_refuses_update_and_delete(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, statement: str
) -> None:
    item = await _decided_item(client, tenant)
    content_id = uuid.UUID(item["id"])
    tamper = (
        update(AuditRow).where(AuditRow.content_id == content_id).values(notes="tampered")
        if statement == "update"
        else delete(AuditRow).where(AuditRow.content_id == content_id)
    )
    database = app.state.resources.database

    with pytest.raises(DBAPIError, match="append-only"):
        async with database.transaction() as session:
            await session.execute(tamper)

    async with database.transaction() as session:
        rows = list(
            await session.scalars(select(AuditRow).where(AuditRow.content_id == content_id))
        )
    assert [(row.source, row.notes) for row in rows] == [("engine", None)]
