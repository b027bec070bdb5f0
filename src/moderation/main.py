"""The application factory: `create_app(settings)` builds the FastAPI app and its routes and
middleware; the process's resources are built by the composition root (`moderation.bootstrap`)
in the app's lifespan."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from moderation import __version__
from moderation.api.exception_handlers import register_exception_handlers
from moderation.api.middleware import (
    BodyLimitMiddleware,
    MetricsMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
    TextIntegrityMiddleware,
    VendorEnvelopeMiddleware,
)
from moderation.api.routes import (
    azure_content_safety,
    health,
    metrics,
    openai_moderations,
    perspective,
    perspective_discovery,
)
from moderation.api.routes.v1 import content, dsa, jobs, moderate, policy, review, webhooks
from moderation.bootstrap import api_process
from moderation.core.config import Settings
from moderation.infrastructure.metrics import ServiceMetrics
from moderation.infrastructure.telemetry import Tracing
from moderation.ml.engine import Engine

API_DESCRIPTION = """
Self-hosted content moderation: store user content per tenant, have the engine decide
(approve / flag / reject with scores, reasons and the words that triggered them), let reviewers
decide flagged items, and audit everything. All errors are RFC 9457 `application/problem+json`.

Authenticate with `Authorization: Bearer <key>` (create one with
`moderation keys create --tenant NAME --scopes content:read,content:write,moderate,policy:admin`)
or a JWT for reviewer tools.
"""


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    tracing: Tracing | None = None,
) -> FastAPI:
    """Build the app. `engine` lets tests share one loaded model between apps; `tracing`
    replaces the one `MODERATION_OTLP_ENDPOINT` configures (tests export in memory)."""
    settings = settings or Settings()
    metrics_registry = ServiceMetrics()
    tracing = tracing or Tracing.from_settings(settings, role="api")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resources = await api_process.start(settings, metrics_registry)
        if tracing is not None:
            tracing.instrument_database(resources.database.engine)
            if settings.broker_url:
                tracing.instrument_celery()
        app.state.resources = resources
        loader = asyncio.create_task(api_process.load_models(resources, engine))
        try:
            yield
        finally:
            loader.cancel()
            await api_process.stop(resources)
            if tracing is not None:
                tracing.shutdown()

    app = FastAPI(
        title="Monocto Moderation",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    register_exception_handlers(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(perspective.router)
    app.include_router(perspective_discovery.router)
    app.include_router(openai_moderations.router)
    app.include_router(azure_content_safety.router)
    # The /api/v1 prefix lives on each router: the route's own path is then the full template,
    # which is what the metrics label requests with.
    for router in (
        content.router,
        review.router,
        dsa.router,
        moderate.router,
        policy.router,
        webhooks.router,
        jobs.router,
    ):
        app.include_router(router)
    # Innermost: text no database stores (NUL, lone surrogates) is refused for every route;
    # CORS and the body limit wrap it. Import uploads are streamed to disk, never read here.
    app.add_middleware(
        TextIntegrityMiddleware,
        max_inspect_bytes=settings.max_body_bytes,
        skip_paths={jobs.IMPORT_PATH},
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "If-Match"],
            expose_headers=["X-Request-ID", "ETag", "Location", "Retry-After"],
        )
    # Added innermost first: the request context wraps everything, so even a 413 from the
    # body limit carries a request id, security headers, and is counted.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        path_limits={jobs.IMPORT_PATH: settings.import_max_bytes},
    )
    # Outside the body limit and the text check, whose problem+json answers it rewrites.
    app.add_middleware(VendorEnvelopeMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics_registry)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestContextMiddleware)
    if tracing is not None:
        tracing.instrument_app(app)
    if settings.trusted_proxies:
        # Outermost: everything inside (auth throttling, /metrics, logs) sees the real client.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app
