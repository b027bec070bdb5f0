"""Health probes and the Prometheus endpoint."""

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from tests.integration.api.support import (
    TenantHandle,
    content_body,
    make_settings,
    wait_until_decided,
)

from moderation.api.dependencies import forget_credentials
from moderation.main import create_app
from moderation.ml.engine import Engine

PROBLEM_JSON = "application/problem+json"
METRICS_TOKEN = secrets.token_urlsafe(24)
TOXIC = "You are a stupid idiot and I hate you"

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@asynccontextmanager
async def _client(
    app: FastAPI, address: tuple[str, int] = ("127.0.0.1", 123)
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=address)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _samples(text: str) -> Samples:
    """Every sample of a Prometheus text exposition, keyed by name and label set."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


async def _scrape(client: httpx.AsyncClient, headers: dict[str, str]) -> Samples:
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return _samples(response.text)


@pytest.mark.asyncio
async def test_liveness_needs_no_credential(client: httpx.AsyncClient) -> None:
    response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.asyncio
async def test_ready_when_database_and_models_are(
    client: httpx.AsyncClient, tiny_engine: Engine
) -> None:
    response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "database": True,
        "models": True,
        "model_version": tiny_engine.model_version,
    }


@pytest.mark.asyncio
async def test_not_ready_when_the_models_fail_to_load(
    database_url: str, tenant: TenantHandle
) -> None:
    app = create_app(make_settings(database_url, model="/nonexistent/model"))
    async with app.router.lifespan_context(app), _client(app) as client:
        resources = app.state.resources
        async with asyncio.timeout(10):
            while resources.startup_error is None:
                await asyncio.sleep(0.01)
        ready = await client.get("/health/ready")
        live = await client.get("/health/live")
        scoring = await client.post(
            "/api/v1/moderate", headers=tenant.headers, json={"items": [{"id": "1", "text": "hi"}]}
        )
    forget_credentials()

    assert ready.status_code == 503
    assert ready.headers["retry-after"] == "5"
    body = ready.json()
    assert (body["status"], body["database"], body["models"]) == ("failed", True, False)
    assert "nonexistent" in body["error"]
    assert live.status_code == 200
    assert scoring.status_code == 503
    assert scoring.headers["content-type"] == PROBLEM_JSON
    assert int(scoring.headers["retry-after"]) >= 1


@pytest.mark.asyncio
async def test_without_a_token_metrics_answer_direct_loopback_clients_only(
    app: FastAPI, tenant: TenantHandle
) -> None:
    async with _client(app) as local, _client(app, address=("203.0.113.7", 4000)) as remote:
        scraped = await local.get("/metrics")
        with_key = await remote.get("/metrics", headers=tenant.headers)
        # A reverse proxy on the same host makes its clients look local.
        proxied = await local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})

    assert scraped.status_code == 200
    assert "moderation_http_requests_total" in scraped.text
    for response in (with_key, proxied):
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM_JSON
        assert "MODERATION_METRICS_TOKEN" in response.json()["detail"]
        assert "moderation_" not in response.text


@pytest.mark.asyncio
async def test_metrics_token_is_the_only_credential_for_metrics(
    database_url: str, tiny_engine: Engine, tenant: TenantHandle
) -> None:
    app = create_app(make_settings(database_url, metrics_token=METRICS_TOKEN), engine=tiny_engine)
    async with (
        app.router.lifespan_context(app),
        _client(app, address=("203.0.113.7", 4000)) as client,
        _client(app) as local,
    ):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        scraped = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer scrape-token-x"})
        missing = await local.get("/metrics")
        tenant_key = await local.get("/metrics", headers=tenant.headers)
        non_ascii = await client.get("/metrics", headers=[(b"authorization", b"Bearer \xe9t\xe9")])
    forget_credentials()

    assert scraped.status_code == 200
    assert "moderation_http_requests_total" in scraped.text
    # A tenant's key reads nothing of the operator's, not even from the loopback.
    for response in (wrong, missing, tenant_key, non_ascii):
        assert response.status_code == 401, response.text
        assert response.headers["content-type"] == PROBLEM_JSON
        assert "moderation_" not in response.text


@pytest.mark.asyncio
async def test_guessing_the_metrics_token_is_throttled(
    database_url: str, tiny_engine: Engine
) -> None:
    settings = make_settings(database_url, metrics_token=METRICS_TOKEN, auth_failures_per_minute=2)
    app = create_app(settings, engine=tiny_engine)
    async with app.router.lifespan_context(app), _client(app) as client:
        guesses = [
            (
                await client.get("/metrics", headers={"Authorization": f"Bearer guess-{i}"})
            ).status_code
            for i in range(2)
        ]
        refused = await client.get("/metrics", headers={"Authorization": "Bearer guess-3"})

    assert guesses == [401, 401]
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1


@pytest.mark.asyncio
async def test_requests_are_counted_by_route_template(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    created = await client.post("/api/v1/content", headers=tenant.headers, json=content_body())
    content_id = created.json()["id"]
    for _ in range(2):
        assert (
            await client.get(f"/api/v1/content/{content_id}", headers=tenant.headers)
        ).status_code == 200
    await client.get("/no/such/route")

    samples = await _scrape(client, tenant.headers)

    total = "moderation_http_requests_total"
    item_route = "/api/v1/content/{content_id}"
    assert _value(samples, total, method="GET", route=item_route, status="200") == 2.0
    assert _value(samples, total, method="POST", route="/api/v1/content", status="201") == 1.0
    assert _value(samples, total, method="GET", route="unmatched", status="404") == 1.0
    # Ids never become label values.
    assert not any(content_id in value for _, labels in samples for _, value in labels)
    duration = "moderation_http_request_duration_seconds_count"
    assert _value(samples, duration, method="GET", route=item_route) == 2.0


@pytest.mark.asyncio
async def test_decisions_queue_and_inference_are_exported(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    created = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(body=TOXIC)
    )
    decided = await wait_until_decided(client, tenant, created.json()["id"])
    scored = await client.post(
        "/api/v1/moderate", headers=tenant.headers, json={"items": [{"id": "1", "text": TOXIC}]}
    )
    assert scored.status_code == 200

    samples = await _scrape(client, tenant.headers)

    status = str(decided["moderation_status"])
    assert (
        _value(samples, "moderation_decisions_total", source="engine", decision=status) or 0
    ) >= 1
    assert _value(samples, "moderation_queue_depth") is not None
    inference = [
        value
        for (name, _), value in samples.items()
        if name == "moderation_model_inference_seconds_count"
    ]
    # One batch for the worker's item, one for POST /moderate.
    assert sum(inference) >= 2
