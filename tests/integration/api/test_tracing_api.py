"""OpenTelemetry tracing, exported to the SDK's in-memory exporter."""

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from tests.integration.api.support import TenantHandle

from moderation.api.dependencies import forget_credentials
from moderation.core.config import Settings
from moderation.infrastructure.telemetry import Tracing
from moderation.main import create_app
from moderation.ml.engine import Engine

pytestmark = pytest.mark.asyncio


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


@pytest_asyncio.fixture
async def app(
    settings: Settings, tiny_engine: Engine, exporter: InMemorySpanExporter, tracing: Tracing
) -> AsyncIterator[FastAPI]:
    exporter.clear()
    application = create_app(settings, engine=tiny_engine, tracing=tracing)
    async with application.router.lifespan_context(application):
        await asyncio.wait_for(application.state.resources.ready.wait(), 30)
        yield application
    forget_credentials()


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
