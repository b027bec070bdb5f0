"""Webhooks end to end on SQLite and PostgreSQL: registration, the event sink, and deliveries to a
real HTTP receiver on loopback that fails on purpose (retries, dedupe, signatures, dead).

The receivers are on loopback, so these tests allow private networks explicitly (the default
refuses them: see test_webhook_egress_api.py)."""

import asyncio
import secrets
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import TenantHandle, make_settings
from tests.integration.api.webhook_receiver import INTERNAL_DETAIL, WebhookReceiver

from moderation.api.dependencies import forget_credentials
from moderation.core.config import Settings
from moderation.domain.models import DomainEvent, Scope
from moderation.infrastructure.database import Database
from moderation.infrastructure.network import AddressPolicy, EgressGuard
from moderation.infrastructure.repositories import SqlTransactions
from moderation.infrastructure.webhooks import RetrySchedule, WebhookDeliverer, WebhookEventSink
from moderation.main import create_app
from moderation.ml.engine import Engine

# Retries 10 ms apart, for at most a second: the production schedule squeezed into a test.
FAST = RetrySchedule(base_seconds=0.01, max_delay_seconds=0.04, window_seconds=1.0, jitter=0.0)
LOOPBACK_ALLOWED = EgressGuard(AddressPolicy(allow_private=True))


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The app's own delivery loop is off: these tests drive a deliverer step by step.
    return make_settings(database_url, webhooks_enabled=False, webhook_allow_private_networks=True)


def _deliverer(app: FastAPI, **options: Any) -> WebhookDeliverer:
    options.setdefault("schedule", FAST)
    return WebhookDeliverer(_database(app), guard=LOOPBACK_ALLOWED, **options)


@pytest_asyncio.fixture
async def deliverer(app: FastAPI) -> AsyncIterator[WebhookDeliverer]:
    worker = _deliverer(app)
    yield worker
    await worker.aclose()


def _database(app: FastAPI) -> Database:
    database: Database = app.state.resources.database
    return database


def _event(tenant: TenantHandle, event_type: str = "ContentModerated") -> DomainEvent:
    return DomainEvent(
        event_id=uuid.uuid4(),
        event_type=event_type,
        tenant_id=tenant.id,
        aggregate_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        payload={"status": "rejected", "score": 0.93},
    )


async def _publish(app: FastAPI, events: list[DomainEvent]) -> None:
    """What the outbox relay does with each batch: hand it to the sink inside a transaction."""
    async with SqlTransactions(_database(app)).transaction() as repos:
        await WebhookEventSink().publish(repos, events)


async def _register(
    client: httpx.AsyncClient, tenant: TenantHandle, url: str, **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/webhooks", headers=tenant.headers, json={"url": url, **fields}
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _log(
    client: httpx.AsyncClient, tenant: TenantHandle, webhook_id: str, **params: Any
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/webhooks/{webhook_id}/deliveries", headers=tenant.headers, params=params
    )
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def _delete(client: httpx.AsyncClient, tenant: TenantHandle, webhook_id: str) -> None:
    """Remove an endpoint, and so its deliveries: the database is shared by the whole run, and
    a later test's deliverer would otherwise keep retrying them."""
    response = await client.delete(f"/api/v1/webhooks/{webhook_id}", headers=tenant.headers)
    assert response.status_code == 200


async def _settle(
    deliverer: WebhookDeliverer,
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    webhook_id: str,
    expected: int,
) -> list[dict[str, Any]]:
    """Run delivery cycles until the endpoint's `expected` deliveries are all final."""
    deadline = asyncio.get_running_loop().time() + 5.0
    while True:
        await deliverer.run_once()
        items: list[dict[str, Any]] = (await _log(client, tenant, webhook_id, size=100))["items"]
        if len(items) == expected and all(i["status"] in {"delivered", "dead"} for i in items):
            return items
        assert asyncio.get_running_loop().time() < deadline, items
        await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_register_list_update_and_delete(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    created = await _register(
        client,
        tenant,
        "https://hooks.example.com/monocto",
        event_types=["ContentDecided", "ContentDecided", "PolicyChanged"],
        description="forum",
    )
    assert created["secret"].startswith("whsec_")
    assert len(created["secret"]) > 40
    assert created["event_types"] == ["ContentDecided", "PolicyChanged"]
    assert created["active"] is True

    listed = await client.get("/api/v1/webhooks", headers=tenant.headers)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
    assert "secret" not in listed.json()["items"][0]

    path = f"/api/v1/webhooks/{created['id']}"
    patched = await client.patch(path, headers=tenant.headers, json={"active": False})
    assert patched.status_code == 200, patched.text
    assert patched.json()["active"] is False
    assert patched.json()["event_types"] == ["ContentDecided", "PolicyChanged"]

    deleted = await client.delete(path, headers=tenant.headers)
    assert deleted.status_code == 200
    assert deleted.json()["id"] == created["id"]
    assert (await client.get(path, headers=tenant.headers)).status_code == 404
    assert (await client.delete(path, headers=tenant.headers)).status_code == 404
    listed = await client.get("/api/v1/webhooks", headers=tenant.headers)
    assert listed.json()["items"] == []


@pytest.mark.asyncio
async def test_a_supplied_secret_is_used_and_not_echoed(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    created = await _register(
        client, tenant, "http://127.0.0.1:9/hook", secret=secrets.token_urlsafe(24)
    )
    assert created["secret"] is None


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://hooks.example.com/x"},
        {"url": "hooks.example.com/x"},
        {"url": "https://hooks.example.com/x", "event_types": ["ContentDeleted"]},
        # Too short to be a signing secret (fewer than 16 characters).
        {"url": "https://hooks.example.com/x", "secret": "x" * 5},
        {"url": "https://hooks.example.com/x", "unknown": 1},
        {"url": "https://:80/x"},
    ],
)
async def test_invalid_registrations_are_problems(
    client: httpx.AsyncClient, tenant: TenantHandle, body: dict[str, Any]
) -> None:
    response = await client.post("/api/v1/webhooks", headers=tenant.headers, json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.asyncio
async def test_webhooks_need_policy_admin_and_stay_within_the_tenant(
    client: httpx.AsyncClient, tenant: TenantHandle, make_tenant: MakeTenant
) -> None:
    reader = await make_tenant(scopes={Scope.CONTENT_READ, Scope.CONTENT_WRITE, Scope.MODERATE})
    denied = await client.get("/api/v1/webhooks", headers=reader.headers)
    assert denied.status_code == 403
    assert (await client.get("/api/v1/webhooks")).status_code == 401

    created = await _register(client, tenant, "https://hooks.example.com/a")
    other = await make_tenant()
    for method, suffix in (("GET", ""), ("DELETE", ""), ("GET", "/deliveries")):
        response = await client.request(
            method, f"/api/v1/webhooks/{created['id']}{suffix}", headers=other.headers
        )
        assert response.status_code == 404, (method, suffix)
    assert (await client.get("/api/v1/webhooks", headers=other.headers)).json()["items"] == []


@pytest.mark.asyncio
async def test_failures_are_retried_until_delivered_and_processed_once(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    deliverer: WebhookDeliverer,
) -> None:
    async with WebhookReceiver(fail_first=3) as receiver:
        created = await _register(client, tenant, receiver.url)
        receiver.secret = created["secret"]
        events = [_event(tenant), _event(tenant, "ContentDecided")]
        await _publish(app, events)
        await _publish(app, events)  # the relay retried its batch: nothing new is owed

        items = await _settle(deliverer, client, tenant, created["id"], expected=2)

    assert {i["status"] for i in items} == {"delivered"}
    assert {i["last_status_code"] for i in items} == {200}
    assert {i["event_id"] for i in items} == {str(e.event_id) for e in events}
    # Every attempt is in the log, and every attempt reached the receiver, signed.
    assert sum(i["attempts"] for i in items) == len(receiver.requests) == 5
    assert max(i["attempts"] for i in items) >= 2
    assert all(request.signature_ok for request in receiver.requests)
    # Redelivered after a failure the receiver had already processed: processed once each.
    assert sorted(receiver.processed) == sorted(str(e.event_id) for e in events)
    first = receiver.requests[0]
    assert first.headers["monocto-event-type"] in {"ContentModerated", "ContentDecided"}
    assert first.headers["content-type"] == "application/json"
    body = receiver.events[0]
    assert body["event_id"] == first.headers["monocto-event-id"]
    assert body["tenant_id"] == str(tenant.id)
    assert body["payload"] == {"status": "rejected", "score": 0.93}
    assert [r.headers["monocto-delivery-attempt"] for r in receiver.requests].count("1") == 2


@pytest.mark.asyncio
async def test_a_delivery_that_keeps_failing_dies_after_the_window(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    short = RetrySchedule(base_seconds=0.01, max_delay_seconds=0.04, window_seconds=0.25)
    deliverer = _deliverer(app, schedule=short)
    async with WebhookReceiver(always_fail=True, fail_status=503) as receiver:
        created = await _register(client, tenant, receiver.url)
        receiver.secret = created["secret"]
        await _publish(app, [_event(tenant)])
        failed = (await _log(client, tenant, created["id"]))["items"]
        assert [i["status"] for i in failed] == ["pending"]

        [item] = await _settle(deliverer, client, tenant, created["id"], expected=1)
    await deliverer.aclose()

    assert item["status"] == "dead"
    assert item["attempts"] == len(receiver.requests) >= 3
    assert item["last_status_code"] == 503
    # The status, not the answer: an internal service's reply is no one's to read. (The
    # endpoint's circuit breaker may have deferred the last tries: it names the same error.)
    assert item["last_error"].rpartition("; last error: ")[2] == "HTTP 503"
    assert INTERNAL_DETAIL.decode() not in str(await _log(client, tenant, created["id"]))
    assert item["next_attempt_at"] is None
    assert item["delivered_at"] is None
    dead = await _log(client, tenant, created["id"], status="dead")
    assert dead["total"] == 1
    assert (await _log(client, tenant, created["id"], status="delivered"))["total"] == 0


@pytest.mark.asyncio
async def test_redirects_are_failures_not_followed(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    deliverer: WebhookDeliverer,
) -> None:
    async with WebhookReceiver(redirect=True) as receiver:
        created = await _register(client, tenant, receiver.url)
        await _publish(app, [_event(tenant)])
        await deliverer.run_once()
        [item] = (await _log(client, tenant, created["id"]))["items"]

    assert item["status"] == "failed"
    assert item["last_status_code"] == 302
    # Where it pointed is not shown either (it may name an internal host).
    assert item["last_error"] == "HTTP 302: redirects are not followed"
    assert item["next_attempt_at"] is not None
    assert len(receiver.requests) == 1
    await _delete(client, tenant, created["id"])


@pytest.mark.asyncio
async def test_only_subscribed_active_endpoints_of_the_tenant_get_the_event(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    make_tenant: MakeTenant,
) -> None:
    policy_only = await _register(
        client, tenant, "http://127.0.0.1:9/p", event_types=["PolicyChanged"]
    )
    everything = await _register(client, tenant, "http://127.0.0.1:9/all")
    disabled = await _register(client, tenant, "http://127.0.0.1:9/off")
    await client.patch(
        f"/api/v1/webhooks/{disabled['id']}", headers=tenant.headers, json={"active": False}
    )
    other = await make_tenant()
    elsewhere = await _register(client, other, "http://127.0.0.1:9/other")

    await _publish(app, [_event(tenant, "ContentCreated"), _event(tenant, "PolicyChanged")])

    def types(page: dict[str, Any]) -> set[str]:
        return {item["event_type"] for item in page["items"]}

    assert types(await _log(client, tenant, policy_only["id"])) == {"PolicyChanged"}
    assert types(await _log(client, tenant, everything["id"])) == {
        "ContentCreated",
        "PolicyChanged",
    }
    assert (await _log(client, tenant, disabled["id"]))["total"] == 0
    assert (await _log(client, other, elsewhere["id"]))["total"] == 0
    for created in (policy_only, everything, disabled):
        await _delete(client, tenant, created["id"])


@pytest.mark.asyncio
async def test_the_circuit_breaker_spares_a_failing_endpoint(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    breaking = _deliverer(app, breaker_threshold=2, breaker_cooldown_seconds=30)
    try:
        async with WebhookReceiver(always_fail=True) as receiver:
            created = await _register(client, tenant, receiver.url)
            await _publish(app, [_event(tenant) for _ in range(5)])
            # Deliveries other tests left due may be claimed beside these five.
            assert await breaking.run_once() >= 5
    finally:
        await breaking.aclose()

    items = (await _log(client, tenant, created["id"]))["items"]
    assert len(receiver.requests) == 2
    assert sorted(i["attempts"] for i in items) == [0, 0, 0, 1, 1]
    skipped = [i for i in items if i["attempts"] == 0]
    assert all("circuit breaker" in i["last_error"] for i in skipped)
    assert all(i["status"] == "pending" for i in skipped)
    await _delete(client, tenant, created["id"])


@pytest.mark.asyncio
async def test_a_slow_receiver_cannot_outlast_the_lease(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # Lease 1.5 s (three timeouts); no request may start after 0.5 s, so that it ends, and its
    # result is recorded, before another deliverer could claim the same deliveries. One request
    # at a time to the endpoint, so the eight cannot all start within that half second.
    hasty = _deliverer(app, timeout_seconds=0.5, lease_seconds=0, max_concurrency_per_endpoint=1)
    try:
        async with WebhookReceiver(delay_seconds=0.1) as receiver:
            created = await _register(client, tenant, receiver.url)
            await _publish(app, [_event(tenant) for _ in range(8)])
            assert await hasty.run_once() >= 8
    finally:
        await hasty.aclose()

    items = (await _log(client, tenant, created["id"]))["items"]
    delivered = [i for i in items if i["status"] == "delivered"]
    handed_back = [i for i in items if i["status"] == "pending"]
    assert 1 <= len(receiver.requests) == len(delivered) < 8
    assert len(delivered) + len(handed_back) == 8
    assert all(i["attempts"] == 0 for i in handed_back)
    await _delete(client, tenant, created["id"])


@pytest.mark.asyncio
async def test_the_service_delivers_in_the_background(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    settings = make_settings(
        database_url,
        webhook_poll_seconds=30.0,  # only a wake-up can make it prompt
        webhook_retry_base_seconds=0.01,
        webhook_allow_private_networks=True,
    )
    app = create_app(settings, engine=tiny_engine)
    async with WebhookReceiver(fail_first=1) as receiver, app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        worker = app.state.resources.webhook_worker
        assert worker is not None
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            tenant = await make_tenant()
            created = await client.post(
                "/api/v1/webhooks", headers=tenant.headers, json={"url": receiver.url}
            )
            receiver.secret = created.json()["secret"]
            event = _event(tenant)
            async with SqlTransactions(app.state.resources.database).transaction() as repos:
                await WebhookEventSink().publish(repos, [event])
            for _ in range(200):
                if receiver.processed and receiver.requests[-1].status == 200:
                    break
                await asyncio.sleep(0.01)
    forget_credentials()
    assert receiver.processed == [str(event.event_id)]
    assert [r.status for r in receiver.requests] == [500, 200]
