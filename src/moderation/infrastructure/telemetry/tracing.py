"""OpenTelemetry tracing for one process: the FastAPI app, SQLAlchemy, httpx and Celery,
exported over OTLP/HTTP when `MODERATION_OTLP_ENDPOINT` is set, off (no-op) otherwise."""

from typing import Any

import httpx
import structlog
from opentelemetry import trace
from opentelemetry.instrumentation.celery import CeleryInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.trace import Span
from sqlalchemy.ext.asyncio import AsyncEngine

from moderation import __version__
from moderation.core.config import Settings

log = structlog.get_logger(__name__)


def _path_only(span: Span, scope: dict[str, Any]) -> None:
    # Perspective clients send their key as `?key=…`, and a trace backend is no place for
    # credentials: requests are recorded by path only.
    if not span.is_recording():
        return
    path = scope.get("path", "")
    span.set_attribute("http.target", path)
    span.set_attribute("url.path", path)
    for name in ("http.url", "url.full", "url.query"):
        span.set_attribute(name, "")


def _url_without_query(span: Span, request: Any) -> None:
    # A webhook URL is the tenant's, and its query may hold the receiver's token: outgoing
    # calls are recorded without it (the instrumentation redacts only a few known names).
    if not span.is_recording():
        return
    url = request.url
    if not isinstance(url, httpx.URL):  # the transport's raw (scheme, host, port, target)
        scheme, host, port, target = url
        url = httpx.URL(scheme=scheme.decode(), host=host.decode(), port=port, raw_path=target)
    safe = str(url.copy_with(query=None, fragment=None, userinfo=b""))
    recorded = getattr(span, "attributes", None) or {}
    for name in ("http.url", "url.full"):
        if name in recorded:
            span.set_attribute(name, safe)


async def _url_without_query_async(span: Span, request: Any) -> None:
    _url_without_query(span, request)


class Tracing:
    """The process's tracer provider and what it instruments.

    The provider is installed globally, once per process (OpenTelemetry refuses a second
    one), so the service's own spans (`trace.get_tracer`) reach the same exporter as the
    instrumented libraries'. Without an endpoint nothing is installed: every span is a no-op
    and the hot path pays nothing."""

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider
        self._httpx = HTTPXClientInstrumentor()
        self._celery = CeleryInstrumentor()  # type: ignore[no-untyped-call]
        self._sqlalchemy = SQLAlchemyInstrumentor()

    @classmethod
    def from_settings(cls, settings: Settings, role: str) -> "Tracing | None":
        """Tracing to `settings.otlp_endpoint`, or None when it is unset."""
        if not settings.otlp_endpoint:
            return None
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=settings.otlp_endpoint)
        tracing = cls.install(exporter, role=role)
        log.info("tracing.enabled", endpoint=settings.otlp_endpoint, role=role)
        return tracing

    @classmethod
    def install(cls, exporter: SpanExporter, *, role: str, batch: bool = True) -> "Tracing":
        """Install a provider exporting to `exporter` (batched; `batch=False` exports each span
        as it ends, for tests), and instrument httpx for the whole process."""
        current = trace.get_tracer_provider()
        if isinstance(current, TracerProvider):
            provider = current
        else:
            resource = Resource.create(
                {SERVICE_NAME: "monocto-moderation", SERVICE_VERSION: __version__, "role": role}
            )
            provider = TracerProvider(resource=resource)
            trace.set_tracer_provider(provider)
        processor = BatchSpanProcessor(exporter) if batch else SimpleSpanProcessor(exporter)
        provider.add_span_processor(processor)
        tracing = cls(provider)
        if not tracing._httpx.is_instrumented_by_opentelemetry:
            tracing._httpx.instrument(
                tracer_provider=provider,
                request_hook=_url_without_query,
                async_request_hook=_url_without_query_async,
            )
        return tracing

    def instrument_app(self, app: Any) -> None:
        """Trace every request to `app` (a FastAPI app), recorded by path, never the query."""
        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=self.provider,
            server_request_hook=_path_only,
            excluded_urls="health/live,health/ready,metrics",
        )

    def instrument_database(self, engine: AsyncEngine) -> None:
        """Trace every statement on `engine` (the text with its placeholders, never values)."""
        # The instrumentor is a process-wide singleton that instruments once: a stopped app
        # (`shutdown`) releases it for the next one. Its declared range stops below SQLAlchemy
        # 2.1, but it only uses the cursor-execute events, unchanged in 2.1 (tested).
        self._sqlalchemy.instrument(
            engine=engine.sync_engine,
            tracer_provider=self.provider,
            enable_commenter=False,
            skip_dep_check=True,
        )

    def instrument_all_databases(self) -> None:
        """Trace the statements of every engine created from now on (a worker process, whose
        engines its task context makes)."""
        if not self._sqlalchemy.is_instrumented_by_opentelemetry:
            self._sqlalchemy.instrument(
                tracer_provider=self.provider, enable_commenter=False, skip_dep_check=True
            )

    def instrument_celery(self) -> None:
        """Carry the trace context in Celery task headers, on publish and on run."""
        if not self._celery.is_instrumented_by_opentelemetry:
            self._celery.instrument(tracer_provider=self.provider)

    def shutdown(self) -> None:
        """Export what is buffered and release the database instrumentation; called as the
        app stops."""
        self.provider.force_flush()
        if self._sqlalchemy.is_instrumented_by_opentelemetry:
            self._sqlalchemy.uninstrument()
