"""The application factory: `create_app(settings)` builds the FastAPI app; `lifespan` builds
every process-wide resource (database, engine, micro-batcher, worker, Redis, rate limiter)."""

import asyncio
import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import structlog
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from redis.asyncio import Redis
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from moderation import __version__
from moderation.api.app_resources import AppResources
from moderation.api.dependencies import forget_policy
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
from moderation.api.routes.v1 import content, jobs, moderate, policy, webhooks
from moderation.core.config import Settings
from moderation.core.jwt_verifier import JwtVerifier
from moderation.core.logging import configure_logging
from moderation.domain.models import TaskName
from moderation.domain.services import JobQueue
from moderation.domain.services.event_sink import EventSink
from moderation.infrastructure.cache import ContentReadCache, ScoreCache, connect_redis
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.messaging import NatsEventSink, OutboxRelay
from moderation.infrastructure.metrics import ServiceMetrics
from moderation.infrastructure.ml import BatchingScorer, BlockingEngine, EngineProcess
from moderation.infrastructure.rate_limit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from moderation.infrastructure.telemetry import Tracing
from moderation.infrastructure.webhooks import WebhookDeliverer, WebhookEventSink
from moderation.ml.engine import Engine, EngineOptions
from moderation.workers import (
    CeleryJobQueue,
    CoalescingTrigger,
    InProcessJobQueue,
    InProcessWorker,
    PendingSweeper,
    WebhookDeliveryWorker,
)
from moderation.workers.handlers import sweep_orphan_uploads

log = structlog.get_logger(__name__)

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
        resources = await _start(settings, metrics_registry)
        if tracing is not None:
            tracing.instrument_database(resources.database.engine)
            if settings.broker_url:
                tracing.instrument_celery()
        app.state.resources = resources
        loader = asyncio.create_task(_load_models(resources, engine))
        try:
            yield
        finally:
            loader.cancel()
            await _stop(resources)
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
    for router in (content.router, moderate.router, policy.router, webhooks.router, jobs.router):
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


async def _start(settings: Settings, metrics: ServiceMetrics) -> AppResources:
    configure_logging(settings.log_level, settings.log_json)
    url = settings.effective_database_url
    if settings.auto_migrate:
        await Migrator(url).upgrade_async()
    database = Database(url)
    redis: Redis | None = None
    content_cache: ContentReadCache | None = None
    limiter: RateLimiter = MemoryRateLimiter()
    if settings.redis_url:
        redis = connect_redis(settings.redis_url)
        limiter = RedisRateLimiter(redis, on_error=metrics.count_redis_error)
        # Writes invalidate even where this process does not read through the cache
        # (content_cache_seconds=0): other replicas may.
        content_cache = ContentReadCache(
            redis,
            max(1, settings.content_cache_seconds),
            on_error=metrics.count_redis_error,
            on_lookup=metrics.count_content_cache_lookup,
        )
        database.after_commit.invalidate_content = content_cache.invalidate
    database.after_commit.forget_policy = forget_policy
    # Its own Redis database when redis_url is also the broker's, and a bounded size.
    score_cache = ScoreCache.for_settings(settings, redis, on_error=metrics.count_redis_error)
    # With no JWT key configured this reads (or first creates) data_dir/jwt-secret.
    jwt = await asyncio.to_thread(JwtVerifier.from_settings, settings)
    log.info("service.starting", database=database.engine.url.render_as_string(hide_password=True))
    return AppResources(
        settings=settings,
        database=database,
        metrics=metrics,
        rate_limiter=limiter,
        jwt=jwt,
        redis=redis,
        content_cache=content_cache,
        score_cache=score_cache,
    )


async def _load_models(resources: AppResources, engine: Engine | None) -> None:
    settings = resources.settings
    # Webhooks need no model: they start first, so a model that fails to load stops nothing.
    _start_webhooks(resources)
    _start_relay(resources)
    _start_jobs(resources)
    # Uploads of imports that no job will read (cancelled, finished, abandoned) go at start.
    await sweep_orphan_uploads(resources.database, settings)
    options = EngineOptions(semantic=settings.semantic, rule_deadline_ms=settings.rule_deadline_ms)
    try:
        serving: BlockingEngine
        if engine is not None:
            serving = engine
        elif settings.engine_process:
            process = EngineProcess(
                settings.model,
                options,
                processes=settings.engine_processes,
            )
            await asyncio.to_thread(process.start)
            serving = process
        else:
            engine = await asyncio.to_thread(Engine.load, settings.model, None, options)
            await asyncio.to_thread(engine.warm_up)
            serving = engine
        # The model's objects live as long as the process: move them out of the collector's
        # reach, so full collections stop walking them (they caused 100 ms latency spikes).
        gc.collect()
        gc.freeze()
        # The engine thread runs Python too; handing the GIL back to the event loop every 1 ms
        # instead of every 5 ms keeps queued requests from waiting behind a whole batch.
        sys.setswitchinterval(0.001)
        scorer = BatchingScorer(
            serving,
            max_batch_size=settings.batch_max_size,
            max_wait_ms=settings.batch_max_wait_ms,
            queue_limit=settings.scoring_queue_limit,
            metrics=resources.metrics,
        )
        scorer.start()
        resources.scorer = scorer
        # With a broker, Celery workers moderate (`moderation worker`); this process only sends.
        if settings.worker_enabled and not settings.broker_url:
            resources.worker = InProcessWorker(
                resources.database,
                scorer,
                batch_size=settings.worker_batch_size,
                poll_seconds=settings.worker_poll_seconds,
                lease_seconds=settings.worker_lease_seconds,
                base_backoff_seconds=settings.worker_base_backoff_seconds,
                metrics=resources.metrics,
            )
            resources.worker.start()
        resources.ready.set()
        log.info("service.ready", model_version=serving.model_version)
    except Exception as error:
        resources.startup_error = f"{type(error).__name__}: {error}"
        log.exception("service.models_failed")


def _start_webhooks(resources: AppResources) -> None:
    settings = resources.settings
    # With a broker, Celery workers send deliveries (task moderation.deliver_webhooks).
    if not settings.webhooks_enabled or settings.broker_url:
        return
    deliverer = WebhookDeliverer.from_settings(
        resources.database, settings, on_outcome=resources.metrics.count_webhook_delivery
    )
    resources.webhook_worker = WebhookDeliveryWorker(
        deliverer,
        batch_size=settings.webhook_batch_size,
        poll_seconds=settings.webhook_poll_seconds,
    )
    resources.webhook_worker.start()


def _start_relay(resources: AppResources) -> None:
    """Relay outbox events to every sink: the broker topic (when configured) and webhooks."""
    settings = resources.settings
    if not settings.relay_enabled:
        return
    sinks: list[EventSink] = []
    if settings.events_url:
        sinks.append(
            NatsEventSink(
                settings.events_url,
                stream=settings.events_stream,
                subject_prefix=settings.events_subject_prefix,
                publish_timeout_seconds=settings.events_publish_timeout_seconds,
                duplicate_window_seconds=settings.events_duplicate_window_seconds,
            )
        )
    # Deliveries are made here even where this process sends none (webhooks_enabled off):
    # another process's delivery worker sends them.
    after_commit = resources.database.after_commit
    if resources.webhook_worker is not None:
        after_commit.wake_deliveries = resources.webhook_worker.wake
    if settings.broker_url and settings.webhooks_enabled:
        # A worker task sends them; a burst of relay commits asks for one task per 0.5 s.
        trigger = CoalescingTrigger(partial(_send_deliveries, resources), 0.5)
        resources.delivery_trigger = trigger
        after_commit.wake_deliveries = trigger.fire
    sinks.append(WebhookEventSink())
    resources.relay = OutboxRelay(
        resources.database,
        sinks,
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
        max_backoff_seconds=settings.relay_max_backoff_seconds,
    )
    resources.relay.start()
    # Events committed anywhere in this process (requests, the worker's decisions) leave now
    # rather than at the relay's next poll.
    after_commit.wake_relay = resources.relay.wake


async def _send_deliveries(resources: AppResources) -> None:
    """New deliveries were committed: have a Celery worker send them (best effort: the next
    sweep sends the task again if this one is lost)."""
    if resources.job_queue is not None:
        await resources.job_queue.submit(TaskName.DELIVER_WEBHOOKS, [])


def _start_jobs(resources: AppResources) -> None:
    """Background tasks (jobs, and auto-moderation with a broker): sent to Celery workers when
    MODERATION_BROKER_URL is set, run as asyncio tasks here otherwise. Either way a sweeper
    re-sends the tasks of work that waited too long, so a lost message loses nothing."""
    settings = resources.settings
    queue: JobQueue
    if settings.broker_url:
        from moderation.workers.celery_app import create_celery_app

        queue = CeleryJobQueue(create_celery_app(settings))
    else:

        def wake_worker() -> None:
            if resources.worker is not None:
                resources.worker.wake()

        queue = InProcessJobQueue(
            resources.database,
            settings,
            lambda: resources.scorer,
            wake=wake_worker,
            metrics=resources.metrics,
        )
    resources.job_queue = queue
    # In the embedded mode `moderate` only wakes the in-process worker: once per commit.
    resources.database.after_commit.moderate = queue.moderate
    resources.database.after_commit.run_job = queue.run_job
    resources.sweeper = PendingSweeper(
        resources.database, queue, settings, content=bool(settings.broker_url)
    )
    resources.sweeper.start()


async def _stop(resources: AppResources) -> None:
    # Jobs first: they use the scorer and the database, which close below.
    if resources.sweeper is not None:
        await resources.sweeper.stop()
    if resources.job_queue is not None:
        await resources.job_queue.close()
    if resources.webhook_worker is not None:
        await resources.webhook_worker.stop()
    if resources.delivery_trigger is not None:
        await resources.delivery_trigger.close()
    if resources.worker is not None:
        await resources.worker.stop()
    if resources.relay is not None:
        await resources.relay.stop()
    if resources.scorer is not None:
        await resources.scorer.close()
    await resources.rate_limiter.close()
    if resources.content_cache is not None:
        await resources.content_cache.close()
    if resources.score_cache is not None:
        await resources.score_cache.close()
    if resources.redis is not None:
        await resources.redis.aclose()
    await resources.database.dispose()
