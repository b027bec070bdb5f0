"""OpenTelemetry tracing, exported to the SDK's in-memory exporter: a request's own spans, and
the later hops of the work it started (the worker's decision, the webhook delivery), which
continue its trace from the context stored with the item, its event and the delivery."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, get_current_span
from sqlalchemy import select
from tests.integration.api.support import (
    ALL_SCOPES,
    TenantHandle,
    make_settings,
    wait_until_decided,
)
from tests.integration.api.webhook_receiver import WebhookReceiver
from tests.integration.api.worker_support import engine_context

from moderation.api.dependencies import forget_credentials
from moderation.core.config import Settings
from moderation.domain.models import NewContent
from moderation.domain.services import TenantService
from moderation.infrastructure.database import Database
from moderation.infrastructure.database.tables import ContentRow, OutboxRow, WebhookDeliveryRow
from moderation.infrastructure.repositories import (
    SqlApiKeyRepository,
    SqlContentRepository,
    SqlTenantRepository,
)
from moderation.infrastructure.telemetry import Tracing, context_from
from moderation.main import create_app
from moderation.ml.engine import Engine
from moderation.workers.handlers import moderate_content

pytestmark = pytest.mark.asyncio

CONTENT = {"title": "t", "body": "hello there", "content_type": "text", "author_id": "a"}


@pytest.fixture(scope="module")
def exporter() -> Iterator[InMemorySpanExporter]:
    spans = InMemorySpanExporter()
    yield spans
    # The provider stays installed for the session (OpenTelemetry allows one); what it
    # instrumented for the whole process goes, and the exporter stops keeping spans.
    HTTPXClientInstrumentor().uninstrument()
    spans.shutdown()


@pytest.fixture(scope="module")
def tracing(exporter: InMemorySpanExporter) -> Tracing:
    return Tracing.install(exporter, role="api", batch=False)


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The webhook receivers here are on loopback.
    return make_settings(database_url, webhook_allow_private_networks=True)


@contextlib.asynccontextmanager
async def _running(settings: Settings, engine: Engine, tracing: Tracing) -> AsyncIterator[FastAPI]:
    application = create_app(settings, engine=engine, tracing=tracing)
    async with application.router.lifespan_context(application):
        await asyncio.wait_for(application.state.resources.ready.wait(), 30)
        yield application
    forget_credentials()


@pytest_asyncio.fixture
async def app(
    settings: Settings, tiny_engine: Engine, exporter: InMemorySpanExporter, tracing: Tracing
) -> AsyncIterator[FastAPI]:
    exporter.clear()
    async with _running(settings, tiny_engine, tracing) as application:
        yield application


async def test_a_request_and_its_statements_form_one_trace(
    app: FastAPI, tenant: TenantHandle, exporter: InMemorySpanExporter
) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        exporter.clear()
        created = await http.post(
            "/api/v1/content",
            headers=tenant.headers,
            json={"title": "t", "body": "hello there", "content_type": "text", "author_id": "a"},
        )
    assert created.status_code == 201, created.text
    spans = exporter.get_finished_spans()
    [server] = [s for s in spans if s.name == "POST /api/v1/content" and s.parent is None]
    assert server.attributes is not None
    assert server.attributes["http.status_code"] == 201
    statements = [str((s.attributes or {}).get("db.statement", "")) for s in spans]
    inserts = [s for s, sql in zip(spans, statements, strict=True) if "INSERT INTO content" in sql]
    assert inserts, [s.name for s in spans]
    assert all(s.context.trace_id == server.context.trace_id for s in inserts)


async def test_a_key_in_the_query_never_reaches_the_trace(
    app: FastAPI, tenant: TenantHandle, exporter: InMemorySpanExporter
) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        exporter.clear()
        response = await http.post(
            "/v1alpha1/comments:analyze",
            params={"key": tenant.key},
            json={"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}},
        )
    assert response.status_code == 200, response.text
    spans = exporter.get_finished_spans()
    assert any(s.name == "POST /v1alpha1/comments:analyze" for s in spans)
    recorded = " ".join(str(value) for s in spans for value in (s.attributes or {}).values())
    assert tenant.key not in recorded
    assert "/v1alpha1/comments:analyze" in recorded


async def test_off_by_default() -> None:
    assert Tracing.from_settings(Settings(), role="api") is None


@contextlib.asynccontextmanager
async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def _new_tenant(database: Database) -> TenantHandle:
    async with database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        tenant = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
        _, key = await service.create_key(tenant.name, set(ALL_SCOPES))
    return TenantHandle(name=tenant.name, id=tenant.id, key=key)


async def _post_content(http: httpx.AsyncClient, tenant: TenantHandle) -> str:
    created = await http.post("/api/v1/content", headers=tenant.headers, json=CONTENT)
    assert created.status_code == 201, created.text
    content_id: str = created.json()["id"]
    return content_id


def _server_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    [server] = [
        s
        for s in exporter.get_finished_spans()
        if s.name == "POST /api/v1/content" and s.parent is None
    ]
    return server


async def _span(
    exporter: InMemorySpanExporter, name: str, match: Callable[[ReadableSpan], bool]
) -> ReadableSpan:
    """The finished span `name` that `match` accepts, waiting for it to end (a later hop)."""
    deadline = asyncio.get_running_loop().time() + 15.0
    while True:
        found = [s for s in exporter.get_finished_spans() if s.name == name and match(s)]
        if found:
            return found[0]
        assert asyncio.get_running_loop().time() < deadline, f"no {name} span"
        await asyncio.sleep(0.02)


def _attribute(name: str, value: object) -> Callable[[ReadableSpan], bool]:
    return lambda span: (span.attributes or {}).get(name) == value


async def _stored(database: Database, column: Any, key: Any, value: object) -> str | None:
    async with database.sessions() as session:
        stored: str | None = await session.scalar(select(column).where(key == value))
    return stored


async def _stored_contexts(
    database: Database, content_id: uuid.UUID, event_id: uuid.UUID
) -> list[str | None]:
    """The contexts stored with an item, its event and the event's delivery."""
    return [
        await _stored(database, ContentRow.trace_parent, ContentRow.id, content_id),
        await _stored(database, OutboxRow.trace_parent, OutboxRow.event_id, event_id),
        await _stored(
            database, WebhookDeliveryRow.trace_parent, WebhookDeliveryRow.event_id, event_id
        ),
    ]


def _parent_of(traceparent: str | None) -> tuple[int, int]:
    """(trace id, span id) of the span a stored traceparent names."""
    context = context_from(traceparent)
    assert context is not None, traceparent
    parent = get_current_span(context).get_span_context()
    return parent.trace_id, parent.span_id


async def test_the_decision_of_a_posted_item_continues_the_requests_trace(
    app: FastAPI, tenant: TenantHandle, exporter: InMemorySpanExporter
) -> None:
    async with _client(app) as http:
        exporter.clear()
        content_id = await _post_content(http, tenant)
        server = _server_span(exporter)
        decided = await wait_until_decided(http, tenant, content_id)
    trace_id = server.context.trace_id
    database: Database = app.state.resources.database

    # The item keeps the context of the span that stored it, one of the request's.
    stored = await _stored(database, ContentRow.trace_parent, ContentRow.id, uuid.UUID(content_id))
    assert stored is not None
    assert len(stored) <= 55
    stored_trace, stored_span = _parent_of(stored)
    assert stored_trace == trace_id

    decide = await _span(
        exporter, "moderation.decide", _attribute("moderation.content_id", content_id)
    )
    assert decide.context.trace_id == trace_id
    assert decide.parent is not None
    assert decide.parent.span_id == stored_span
    attributes = dict(decide.attributes or {})
    assert attributes["moderation.tenant_id"] == str(tenant.id)
    assert attributes["moderation.decision"] in {"approve", "flag", "reject"}
    assert attributes["moderation.model_version"]
    assert decided["moderation_status"] != "pending"
    # The decision's UPDATE is a statement of the decide span.
    statements = [
        s
        for s in exporter.get_finished_spans()
        if s.parent is not None and s.parent.span_id == decide.context.span_id
    ]
    assert any(
        "UPDATE content_items" in str((s.attributes or {}).get("db.statement")) for s in statements
    )

    # The batch's scoring serves several traces: it links to each item's.
    score = await _span(
        exporter,
        "moderation.score",
        lambda s: any(link.context.span_id == stored_span for link in s.links),
    )
    assert score.parent is None  # its own trace: it belongs to none of the items'

    # The ContentModerated event continues the decision's trace.
    async with database.sessions() as session:
        event_trace = await session.scalar(
            select(OutboxRow.trace_parent).where(
                OutboxRow.aggregate_id == uuid.UUID(content_id),
                OutboxRow.event_type == "ContentModerated",
            )
        )
    assert _parent_of(event_trace) == (trace_id, decide.context.span_id)

    # Never the text, in any span.
    recorded = " ".join(
        str(v) for s in exporter.get_finished_spans() for v in (s.attributes or {}).values()
    )
    assert CONTENT["body"] not in recorded


async def test_a_webhook_delivery_continues_the_trace_and_its_http_call_nests_in_it(
    app: FastAPI, tenant: TenantHandle, exporter: InMemorySpanExporter
) -> None:
    token = f"tok{uuid.uuid4().hex}"
    async with WebhookReceiver() as receiver, _client(app) as http:
        registered = await http.post(
            "/api/v1/webhooks",
            headers=tenant.headers,
            json={"url": f"{receiver.url}?token={token}", "event_types": ["ContentModerated"]},
        )
        assert registered.status_code == 201, registered.text
        webhook = registered.json()
        receiver.secret = webhook["secret"]
        exporter.clear()
        content_id = await _post_content(http, tenant)
        server = _server_span(exporter)
        deliver = await _span(
            exporter, "webhook.deliver", _attribute("webhook.endpoint_id", webhook["id"])
        )
        log = await http.get(f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=tenant.headers)
        item = await http.get(f"/api/v1/content/{content_id}", headers=tenant.headers)
        listing = await http.get("/api/v1/content", headers=tenant.headers)
        [event] = receiver.events
        stored = await _stored_contexts(
            app.state.resources.database, uuid.UUID(content_id), uuid.UUID(event["event_id"])
        )
        await http.delete(f"/api/v1/webhooks/{webhook['id']}", headers=tenant.headers)
    trace_id = server.context.trace_id

    assert deliver.context.trace_id == trace_id
    attributes = dict(deliver.attributes or {})
    assert attributes["webhook.event_type"] == "ContentModerated"
    assert attributes["webhook.attempt"] == 1
    assert attributes["http.response.status_code"] == 200
    decide = await _span(
        exporter, "moderation.decide", _attribute("moderation.content_id", content_id)
    )
    assert deliver.parent is not None
    assert deliver.parent.span_id == decide.context.span_id
    [client_call] = [
        s
        for s in exporter.get_finished_spans()
        if s.kind is SpanKind.CLIENT
        and s.parent is not None
        and s.parent.span_id == deliver.context.span_id
    ]
    assert client_call.context.trace_id == trace_id
    # The relay's publish links to the event's trace.
    await _span(
        exporter,
        "outbox.publish",
        lambda s: any(link.context.trace_id == trace_id for link in s.links),
    )

    # The receiver's token and the endpoint's secret reach no span.
    recorded = " ".join(
        str(v) for s in exporter.get_finished_spans() for v in (s.attributes or {}).values()
    )
    assert token not in recorded
    assert webhook["secret"] not in recorded

    # What the tenant sees carries no trace context: the body received, the delivery log,
    # the item.
    assert all(stored), stored
    assert stored[2] == stored[1]  # a delivery continues its event's trace
    for seen in (receiver.requests[0].body.decode(), log.text, item.text, listing.text):
        assert "trace_parent" not in seen
        assert not any(value in seen for value in stored if value), seen
    assert set(event) == {
        "event_id",
        "event_type",
        "tenant_id",
        "aggregate_id",
        "occurred_at",
        "version",
        "payload",
    }


async def test_the_celery_moderator_continues_the_requests_trace_too(
    database_url: str, tiny_engine: Engine, exporter: InMemorySpanExporter, tracing: Tracing
) -> None:
    # No in-process worker: the item waits for the task handler, as with a broker.
    settings = make_settings(database_url, worker_enabled=False)
    async with _running(settings, tiny_engine, tracing) as app, _client(app) as http:
        tenant = await _new_tenant(app.state.resources.database)
        exporter.clear()
        content_id = await _post_content(http, tenant)
        server = _server_span(exporter)
        context = engine_context(settings, tiny_engine)
        try:
            assert await moderate_content(context, [content_id]) == 1
        finally:
            await context.close()
    decide = await _span(
        exporter, "moderation.decide", _attribute("moderation.content_id", content_id)
    )
    assert decide.context.trace_id == server.context.trace_id


async def test_an_item_stored_outside_any_trace_has_no_context_and_is_still_decided(
    app: FastAPI, tenant: TenantHandle, exporter: InMemorySpanExporter
) -> None:
    # What every item gets when tracing is off: no span is current where it is stored.
    database: Database = app.state.resources.database
    item = NewContent.model_validate(CONTENT).to_item(uuid.uuid4(), tenant.id, datetime.now(UTC))
    assert get_current_span().get_span_context().is_valid is False
    async with database.transaction() as session:
        await SqlContentRepository(session).add(item, due_at=datetime.now(UTC))
    assert await _stored(database, ContentRow.trace_parent, ContentRow.id, item.id) is None

    async with _client(app) as http:
        decided = await wait_until_decided(http, tenant, str(item.id))
    assert decided["moderation_status"] != "pending"
    # Its decision starts a trace of its own, which its event continues.
    decide = await _span(
        exporter, "moderation.decide", _attribute("moderation.content_id", str(item.id))
    )
    assert decide.parent is None
    async with database.sessions() as session:
        event_trace = await session.scalar(
            select(OutboxRow.trace_parent).where(
                OutboxRow.aggregate_id == item.id, OutboxRow.event_type == "ContentModerated"
            )
        )
    assert _parent_of(event_trace) == (decide.context.trace_id, decide.context.span_id)
