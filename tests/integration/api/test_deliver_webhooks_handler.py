"""The broker-mode `deliver_webhooks` task: it sends what is due through the context's one
deliverer, and a backlog larger than its time budget is handed on to a follow-up task instead
of holding a worker thread."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import func, select
from tests.integration.api.support import make_settings
from tests.integration.api.webhook_receiver import WebhookReceiver
from tests.integration.api.worker_support import RecordingQueue, engine_context, new_principal

from moderation.domain.models import DomainEvent, TaskName
from moderation.domain.services import WebhookService
from moderation.infrastructure.database.tables import WebhookDeliveryRow
from moderation.infrastructure.network import EgressGuard
from moderation.infrastructure.repositories import (
    SqlTransactions,
    SqlWebhookDeliveryRepository,
    SqlWebhookEndpointRepository,
)
from moderation.infrastructure.webhooks import WebhookEventSink
from moderation.ml.engine import Engine
from moderation.workers import handlers
from moderation.workers.handlers import HandlerContext, deliver_webhooks

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def context(
    database_url: str, tmp_path: Path, tiny_engine: Engine
) -> AsyncIterator[HandlerContext]:
    # The receiver is on loopback: private targets are allowed explicitly.
    settings = make_settings(
        database_url,
        data_dir=tmp_path,
        webhook_batch_size=3,
        webhook_allow_private_networks=True,
    )
    built = engine_context(settings, tiny_engine, RecordingQueue())
    yield built
    await built.close()


async def _deliveries(context: HandlerContext, receiver: WebhookReceiver, count: int) -> uuid.UUID:
    """An endpoint on `receiver` and `count` pending deliveries to it; returns the endpoint."""
    principal = await new_principal(context.database)
    async with context.database.transaction() as session:
        service = WebhookService(
            SqlWebhookEndpointRepository(session),
            SqlWebhookDeliveryRepository(session),
            EgressGuard.from_settings(context.settings),
        )
        endpoint, secret = await service.register(principal.tenant_id, receiver.url)
    receiver.secret = secret
    events = [
        DomainEvent(
            event_id=uuid.uuid4(),
            event_type="ContentCreated",
            tenant_id=principal.tenant_id,
            aggregate_id=uuid.uuid4(),
            occurred_at=datetime.now(UTC),
            payload={"n": n},
        )
        for n in range(count)
    ]
    async with SqlTransactions(context.database).transaction() as repos:
        await WebhookEventSink().publish(repos, events)
    return endpoint.id


async def _delivered(context: HandlerContext, endpoint_id: uuid.UUID) -> int:
    async with context.database.transaction(write=False) as session:
        count = await session.scalar(
            select(func.count())
            .select_from(WebhookDeliveryRow)
            .where(
                WebhookDeliveryRow.endpoint_id == endpoint_id,
                WebhookDeliveryRow.status == "delivered",
            )
        )
    return int(count or 0)


async def test_due_deliveries_are_sent_with_one_deliverer_per_context(
    context: HandlerContext,
) -> None:
    async with WebhookReceiver() as receiver:
        endpoint_id = await _deliveries(context, receiver, 7)
        sent = await deliver_webhooks(context, [])
        again = await deliver_webhooks(context, [])

    assert sent == 7
    assert again == 0
    assert await _delivered(context, endpoint_id) == 7
    assert len(receiver.processed) == 7
    assert all(request.signature_ok for request in receiver.requests)
    assert context.webhook_deliverer() is context.webhook_deliverer()
    queue = context.queue
    assert isinstance(queue, RecordingQueue)
    assert queue.sent == []


async def test_a_backlog_beyond_the_budget_is_handed_to_a_follow_up_task(
    context: HandlerContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handlers, "_DELIVERY_BUDGET_SECONDS", 0.0)
    async with WebhookReceiver() as receiver:
        endpoint_id = await _deliveries(context, receiver, 7)
        sent = await deliver_webhooks(context, [])

    # One batch of 3 within the (zero) budget, then the rest is left for the next task.
    assert sent == 3
    assert await _delivered(context, endpoint_id) == 3
    queue = context.queue
    assert isinstance(queue, RecordingQueue)
    assert queue.sent == [(TaskName.DELIVER_WEBHOOKS.value, [])]


async def test_the_concurrency_cap_slows_a_batch_but_does_not_cut_it(
    database_url: str, tmp_path: Path, tiny_engine: Engine
) -> None:
    # Two requests at a time, batches of three: each batch is claimed whole and sent in turns,
    # so a short batch still means "nothing more is due".
    settings = make_settings(
        database_url,
        data_dir=tmp_path,
        webhook_batch_size=3,
        webhook_max_concurrency=2,
        webhook_allow_private_networks=True,
    )
    context = engine_context(settings, tiny_engine, RecordingQueue())
    try:
        async with WebhookReceiver() as receiver:
            endpoint_id = await _deliveries(context, receiver, 7)
            sent = await deliver_webhooks(context, [])
        # (An earlier test's leftovers, due now, may be sent beside these.)
        assert sent >= 7
        assert await _delivered(context, endpoint_id) == 7
        assert receiver.most_in_flight <= 2
    finally:
        await context.close()
