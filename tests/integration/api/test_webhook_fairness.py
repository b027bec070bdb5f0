"""Fair webhook delivery on SQLite and PostgreSQL: one tenant's slow (here: hanging) endpoints
neither fill the claims nor hold the delivery loop, and concurrency is capped per endpoint and
per tenant. The hanging receivers are released by the test, so every bound is by construction,
not by sleeping."""

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from sqlalchemy import update
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import TenantHandle, make_settings
from tests.integration.api.webhook_receiver import WebhookReceiver

from moderation.core.config import Settings
from moderation.domain.models import DomainEvent
from moderation.domain.services import WebhookService
from moderation.infrastructure.database import Database
from moderation.infrastructure.database.tables import WebhookDeliveryRow
from moderation.infrastructure.network import AddressPolicy, EgressGuard
from moderation.infrastructure.repositories import (
    SqlTransactions,
    SqlWebhookDeliveryRepository,
    SqlWebhookEndpointRepository,
)
from moderation.infrastructure.webhooks import RetrySchedule, WebhookDeliverer, WebhookEventSink
from moderation.workers import WebhookDeliveryWorker

pytestmark = pytest.mark.asyncio

FAST = RetrySchedule(base_seconds=0.01, max_delay_seconds=0.04, window_seconds=5.0, jitter=0.0)
LOOPBACK_ALLOWED = EgressGuard(AddressPolicy(allow_private=True))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, webhooks_enabled=False, webhook_allow_private_networks=True)


def _database(app: FastAPI) -> Database:
    database: Database = app.state.resources.database
    return database


async def _endpoint(app: FastAPI, tenant: TenantHandle, url: str) -> uuid.UUID:
    async with _database(app).transaction() as session:
        service = WebhookService(
            SqlWebhookEndpointRepository(session),
            SqlWebhookDeliveryRepository(session),
            LOOPBACK_ALLOWED,
        )
        endpoint, _ = await service.register(tenant.id, url)
    return endpoint.id


async def _publish(
    app: FastAPI, tenant: TenantHandle, count: int, wake: Callable[[], None] | None = None
) -> None:
    events = [
        DomainEvent(
            event_id=uuid.uuid4(),
            event_type="ContentCreated",
            tenant_id=tenant.id,
            aggregate_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            payload={"n": n},
        )
        for n in range(count)
    ]
    # The deliveries' after-commit wake goes to this test's worker.
    database = _database(app)
    previous = database.after_commit.wake_deliveries
    database.after_commit.wake_deliveries = wake
    try:
        async with SqlTransactions(database).transaction() as repos:
            await WebhookEventSink().publish(repos, events)
    finally:
        database.after_commit.wake_deliveries = previous


async def _remove(app: FastAPI, tenant: TenantHandle, *endpoint_ids: uuid.UUID) -> None:
    # The database is shared by the run: later tests' deliverers must not find these.
    async with _database(app).transaction() as session:
        for endpoint_id in endpoint_ids:
            await SqlWebhookEndpointRepository(session).delete(tenant.id, endpoint_id)


async def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.01)


async def test_claims_take_the_tenants_in_turn(app: FastAPI, make_tenant: MakeTenant) -> None:
    busy, quiet = await make_tenant(), await make_tenant()
    busy_endpoint = await _endpoint(app, busy, "http://127.0.0.1:9/busy")
    quiet_endpoint = await _endpoint(app, quiet, "http://127.0.0.1:9/quiet")
    await _publish(app, busy, 30)
    await _publish(app, quiet, 1)
    # The busy tenant's backlog is older than anything (other tests' leftovers included), and
    # the quiet tenant's one delivery comes right after it.
    async with _database(app).transaction() as session:
        for endpoint_id, due in ((busy_endpoint, "2000-01-01"), (quiet_endpoint, "2000-01-02")):
            await session.execute(
                update(WebhookDeliveryRow)
                .where(WebhookDeliveryRow.endpoint_id == endpoint_id)
                .values(next_attempt_at=datetime.fromisoformat(due).replace(tzinfo=UTC))
            )
    now = datetime.now(UTC)
    async with _database(app).transaction() as session:
        claimed = await SqlWebhookDeliveryRepository(session).claim_due(now, 2, now)
    await _remove(app, busy, busy_endpoint)
    await _remove(app, quiet, quiet_endpoint)

    assert sorted(str(delivery.tenant_id) for delivery, _ in claimed) == sorted(
        [str(busy.id), str(quiet.id)]
    )


async def test_a_hanging_tenant_does_not_delay_another_tenants_delivery(
    app: FastAPI, make_tenant: MakeTenant
) -> None:
    slow, prompt = await make_tenant(), await make_tenant()
    release = asyncio.Event()
    deliverer = WebhookDeliverer(
        _database(app),
        schedule=FAST,
        guard=LOOPBACK_ALLOWED,
        timeout_seconds=30.0,  # the hang outlasts the test: only a release ends it
        max_concurrency_per_tenant=3,
        max_concurrency_per_endpoint=2,
    )
    worker = WebhookDeliveryWorker(deliverer, poll_seconds=30.0)  # only wake-ups drive it
    hanging = [WebhookReceiver(hold=release), WebhookReceiver(hold=release)]
    async with hanging[0], hanging[1], WebhookReceiver() as receiver:
        slow_endpoints = [await _endpoint(app, slow, r.url) for r in hanging]
        prompt_endpoint = await _endpoint(app, prompt, receiver.url)
        worker.start()
        try:
            await _publish(app, slow, 8, worker.wake)  # four to each hanging endpoint

            def slow_in_flight() -> int:
                return sum(r.in_flight for r in hanging)

            await _until(lambda: slow_in_flight() >= 2, 5.0, "the slow tenant's requests")
            await _publish(app, prompt, 1, worker.wake)
            await _until(lambda: len(receiver.requests) == 1, 2.0, "the prompt tenant's event")
            # Meanwhile the slow tenant still hangs, within its caps: three requests in all,
            # at most two to one endpoint, none beyond (its other deliveries wait their turn).
            assert slow_in_flight() == 3
            assert sum(len(r.requests) for r in hanging) == 3
            assert max(r.most_in_flight for r in hanging) <= 2
        finally:
            release.set()
            await worker.stop()
    await _remove(app, slow, *slow_endpoints)
    await _remove(app, prompt, prompt_endpoint)
    assert receiver.requests[0].status == 200
