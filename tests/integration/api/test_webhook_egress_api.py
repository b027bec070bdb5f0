"""Webhook egress on SQLite and PostgreSQL, with the default settings (private networks
refused): every spelling of an internal address is refused at registration (POST and PATCH,
a 422 naming `url`), and again at delivery for URLs stored before (or resolving elsewhere
since), without a byte sent to them."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.integration.api.support import TenantHandle, make_settings
from tests.integration.api.webhook_receiver import WebhookReceiver

from moderation.core.config import Settings
from moderation.domain.models import DomainEvent, WebhookEndpoint
from moderation.infrastructure.database import Database
from moderation.infrastructure.network import AddressPolicy, EgressGuard
from moderation.infrastructure.repositories import SqlTransactions
from moderation.infrastructure.webhooks import RetrySchedule, WebhookDeliverer, WebhookEventSink

pytestmark = pytest.mark.asyncio

FAST = RetrySchedule(base_seconds=0.01, max_delay_seconds=0.04, window_seconds=1.0, jitter=0.0)
# The spellings of issue 11: loopback, metadata, private, unspecified, in decimal, hex, short,
# octal and IPv6-embedded forms.
INTERNAL_URLS = [
    "http://127.0.0.1:8000/hook",
    "http://localhost:6379/",
    "http://[::1]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.8/hook",
    "http://192.168.1.1/admin",
    "http://0.0.0.0:5432/",
    "http://2130706433/hook",
    "http://0x7f000001/hook",
    "http://127.1/hook",
    "http://0177.0.0.1/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:a9fe:a9fe]/hook",
    "http://[64:ff9b::7f00:1]/hook",
    "http://100.64.1.1/hook",
    "http://[fd00::5]/hook",
]


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The defaults, but for the app's own delivery loop (these tests drive deliverers).
    return make_settings(database_url, webhooks_enabled=False)


def _assert_url_problem(response: httpx.Response) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [error["location"] for error in problem["errors"]] == [["body", "url"]]
    assert problem["detail"].startswith("url: ")


@pytest.mark.parametrize("url", INTERNAL_URLS)
async def test_internal_addresses_are_refused_at_registration(
    client: httpx.AsyncClient, tenant: TenantHandle, url: str
) -> None:
    response = await client.post("/api/v1/webhooks", headers=tenant.headers, json={"url": url})
    _assert_url_problem(response)
    assert (await client.get("/api/v1/webhooks", headers=tenant.headers)).json()["items"] == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://2130706433/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://169.254.169.254/",
        "https://user:secret@hooks.example.com/x",
    ],
)
async def test_a_url_cannot_be_changed_to_an_internal_one(
    client: httpx.AsyncClient, tenant: TenantHandle, url: str
) -> None:
    created = await client.post(
        "/api/v1/webhooks", headers=tenant.headers, json={"url": "https://hooks.example.com/a"}
    )
    assert created.status_code == 201, created.text
    path = f"/api/v1/webhooks/{created.json()['id']}"
    _assert_url_problem(await client.patch(path, headers=tenant.headers, json={"url": url}))
    assert (await client.get(path, headers=tenant.headers)).json()["url"] == (
        "https://hooks.example.com/a"
    )
    await client.delete(path, headers=tenant.headers)


@pytest.mark.parametrize(
    "url",
    [
        "https://user:secret@hooks.example.com/x",
        "https://token@hooks.example.com/x",
        "https://:secret@hooks.example.com/x",
    ],
)
async def test_credentials_in_the_url_are_refused(
    client: httpx.AsyncClient, tenant: TenantHandle, url: str
) -> None:
    response = await client.post("/api/v1/webhooks", headers=tenant.headers, json={"url": url})
    _assert_url_problem(response)
    assert "credentials" in response.json()["detail"]


async def test_a_public_host_is_accepted(client: httpx.AsyncClient, tenant: TenantHandle) -> None:
    response = await client.post(
        "/api/v1/webhooks", headers=tenant.headers, json={"url": "https://93.184.216.34/hook"}
    )
    assert response.status_code == 201, response.text
    await client.delete(f"/api/v1/webhooks/{response.json()['id']}", headers=tenant.headers)


class _Resolver:
    def __init__(self, answers: dict[str, Sequence[str]]) -> None:
        self.answers = answers

    async def __call__(self, host: str, port: int) -> Sequence[str]:  # noqa: ARG002
        return self.answers[host]


async def _stored_endpoint(app: FastAPI, tenant: TenantHandle, url: str) -> WebhookEndpoint:
    """An endpoint as an older version (or private networks then allowed) stored it."""
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(),
        tenant_id=tenant.id,
        url=url,
        secret="whsec_" + uuid.uuid4().hex,
        created_at=datetime.now(UTC),
    )
    database: Database = app.state.resources.database
    async with SqlTransactions(database).transaction() as repos:
        await repos.webhook_endpoints.add(endpoint)
        await WebhookEventSink().publish(
            repos,
            [
                DomainEvent(
                    event_id=uuid.uuid4(),
                    event_type="ContentCreated",
                    tenant_id=tenant.id,
                    aggregate_id=uuid.uuid4(),
                    occurred_at=datetime.now(UTC),
                    payload={},
                )
            ],
        )
    return endpoint


async def _only_delivery(
    client: httpx.AsyncClient, tenant: TenantHandle, endpoint: WebhookEndpoint
) -> dict[str, Any]:
    path = f"/api/v1/webhooks/{endpoint.id}"
    page = await client.get(f"{path}/deliveries", headers=tenant.headers)
    [item] = page.json()["items"]
    await client.delete(path, headers=tenant.headers)
    result: dict[str, Any] = item
    return result


async def _deliver(app: FastAPI, guard: EgressGuard) -> None:
    deliverer = WebhookDeliverer(app.state.resources.database, schedule=FAST, guard=guard)
    try:
        await deliverer.run_once()
    finally:
        await deliverer.aclose()


async def test_a_stored_loopback_url_is_refused_at_delivery(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    async with WebhookReceiver() as receiver:
        endpoint = await _stored_endpoint(app, tenant, receiver.url)
        await _deliver(app, EgressGuard.from_settings(app.state.resources.settings))
    item = await _only_delivery(client, tenant, endpoint)
    assert receiver.requests == []
    assert item["status"] == "failed"
    assert item["last_status_code"] is None
    assert item["last_error"] == "blocked: loopback address"


async def test_a_stored_url_with_credentials_is_not_called(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # Even where loopback is allowed: the credentials would go out as Basic auth.
    async with WebhookReceiver() as receiver:
        url = receiver.url.replace("http://", "http://admin:secret@")
        endpoint = await _stored_endpoint(app, tenant, url)
        await _deliver(app, EgressGuard(AddressPolicy(allow_private=True)))
    item = await _only_delivery(client, tenant, endpoint)
    assert receiver.requests == []
    assert item["last_error"] == "blocked: credentials in the URL are not allowed"


async def test_a_host_that_resolves_internally_since_registration_is_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    async with WebhookReceiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        resolver = _Resolver({"hooks.rebind.test": ["93.184.216.34"]})
        guard = EgressGuard(resolver=resolver)
        url = f"http://hooks.rebind.test:{port}/hooks"
        assert await guard.refusal(url) is None  # what registration saw
        endpoint = await _stored_endpoint(app, tenant, url)
        resolver.answers["hooks.rebind.test"] = ["127.0.0.1"]  # the name's owner rebinds it
        await _deliver(app, guard)
    item = await _only_delivery(client, tenant, endpoint)
    assert receiver.requests == []
    assert item["last_error"] == "blocked: loopback address"


async def test_the_checked_address_is_the_one_connected_to(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # The name exists only in the guard's resolver: the receiver hears from the deliverer
    # exactly when the connection goes to the address the guard resolved (and checked).
    async with WebhookReceiver() as receiver:
        port = receiver.url.split(":")[2].split("/")[0]
        guard = EgressGuard(
            AddressPolicy(allow_private=True),
            resolver=_Resolver({"hooks.pinned.test": ["127.0.0.1"]}),
        )
        endpoint = await _stored_endpoint(app, tenant, f"http://hooks.pinned.test:{port}/hooks")
        await _deliver(app, guard)
    item = await _only_delivery(client, tenant, endpoint)
    assert item["status"] == "delivered"
    assert [request.headers["host"] for request in receiver.requests] == [
        f"hooks.pinned.test:{port}"
    ]
