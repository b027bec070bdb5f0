"""The API process's composition: `start` builds its storage, caches and credentials;
`load_models` starts the background loops and the engine; `stop` releases all of it in order."""

import asyncio
import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import structlog

from moderation.api.backlog_gate import BacklogGate
from moderation.api.credential_cache import CredentialCache
from moderation.api.policy_cache import PolicyCache
from moderation.bootstrap.runtime import Runtime
from moderation.core.config import Settings
from moderation.core.jwt_verifier import JwtVerifier
from moderation.core.logging import configure_logging
from moderation.domain.models import BacklogLimits, TaskName
from moderation.domain.services import JobQueue
from moderation.domain.services.event_sink import EventSink
from moderation.infrastructure.cache import ContentReadCache, ScoreCache, connect_redis
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.messaging import NatsEventSink, OutboxRelay
from moderation.infrastructure.metrics import ServiceMetrics
from moderation.infrastructure.ml import BatchingScorer, BlockingEngine, EngineProcess
from moderation.infrastructure.network import EgressGuard
from moderation.infrastructure.rate_limit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from moderation.infrastructure.repositories import SqlTransactions
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


async def start(settings: Settings, metrics: ServiceMetrics) -> Runtime:
    """Migrate (when asked), open the database and Redis, and build what requests share."""
    configure_logging(settings.log_level, settings.log_json)
    url = settings.effective_database_url
    if settings.auto_migrate:
        await Migrator(url).upgrade_async()
    database = Database(url)
    transactions = SqlTransactions(database)
    redis = None
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
    policies = PolicyCache(transactions)
    database.after_commit.forget_policy = policies.forget
    # Its own Redis database when redis_url is also the broker's, and a bounded size.
    score_cache = ScoreCache.for_settings(settings, redis, on_error=metrics.count_redis_error)
    # With no JWT key configured this reads (or first creates) data_dir/jwt-secret.
    jwt = await asyncio.to_thread(JwtVerifier.from_settings, settings)
    backlog = BacklogGate(
        transactions,
        BacklogLimits.of(settings.max_pending_items, settings.tenant_backlog_share),
        on_total=metrics.set_queue_depth,
    )
    log.info("service.starting", database=database.engine.url.render_as_string(hide_password=True))
    return Runtime(
        settings=settings,
        database=database,
        transactions=transactions,
        metrics=metrics,
        rate_limiter=limiter,
        jwt=jwt,
        egress=EgressGuard.from_settings(settings),
        credentials=CredentialCache(transactions, jwt),
        policies=policies,
        backlog=backlog,
        redis=redis,
        content_cache=content_cache,
        score_cache=score_cache,
    )


async def load_models(runtime: Runtime, engine: Engine | None) -> None:
    """Start the background loops, then load the engine (readiness waits for it); a model that
    fails to load is reported by /health/ready rather than stopping the process."""
    settings = runtime.settings
    # The loops need no model: they start first, so a model that fails to load stops nothing.
    transport = _start_transport(runtime)
    _start_relay(runtime)
    runtime.sweeper = PendingSweeper(
        runtime.transactions, transport.queue, settings, content=transport.sweep_content
    )
    runtime.sweeper.start()
    # Uploads of imports that no job will read (cancelled, finished, abandoned) go at start.
    await sweep_orphan_uploads(runtime.transactions, settings)
    try:
        serving = await _serving_engine(settings, engine)
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
            metrics=runtime.metrics,
        )
        scorer.start()
        runtime.scorer = scorer
        if transport.on_scorer is not None:
            transport.on_scorer(scorer)
        runtime.ready.set()
        log.info("service.ready", model_version=serving.model_version)
    except Exception as error:
        runtime.startup_error = f"{type(error).__name__}: {error}"
        log.exception("service.models_failed")


async def _serving_engine(settings: Settings, engine: Engine | None) -> BlockingEngine:
    if engine is not None:
        return engine
    options = EngineOptions(semantic=settings.semantic, rule_deadline_ms=settings.rule_deadline_ms)
    if settings.engine_process:
        process = EngineProcess(settings.model, options, processes=settings.engine_processes)
        await asyncio.to_thread(process.start)
        return process
    loaded = await asyncio.to_thread(Engine.load, settings.model, None, options)
    await asyncio.to_thread(loaded.warm_up)
    return loaded


@dataclass(frozen=True)
class _Transport:
    queue: JobQueue
    # Whether the sweeper re-sends pending items' tasks (a broker can lose them; the
    # in-process worker polls the database instead).
    sweep_content: bool
    # Called once the engine is loaded, with its scorer.
    on_scorer: Callable[[BatchingScorer], None] | None = None


def _start_transport(runtime: Runtime) -> _Transport:
    """How background work leaves this process, the one place the broker setting is read:
    with MODERATION_BROKER_URL, Celery workers moderate, run jobs and send webhooks, and this
    process only sends tasks; without it, all of that runs here on asyncio tasks."""
    transport = _broker(runtime) if runtime.settings.broker_url else _embedded(runtime)
    after_commit = runtime.database.after_commit
    runtime.job_queue = transport.queue
    # In the embedded mode `moderate` only wakes the in-process worker: once per commit.
    after_commit.moderate = transport.queue.moderate
    after_commit.run_job = transport.queue.run_job
    return transport


def _broker(runtime: Runtime) -> _Transport:
    from moderation.workers.celery_app import create_celery_app

    settings = runtime.settings
    # An app that only sends: the workers' own app runs the handlers.
    queue = CeleryJobQueue(create_celery_app(settings))
    if settings.webhooks_enabled:
        # A worker task sends new deliveries; a burst of relay commits asks for one task per
        # 0.5 s (best effort: the next sweep sends the task again if this one is lost).
        trigger = CoalescingTrigger(partial(queue.submit, TaskName.DELIVER_WEBHOOKS, []), 0.5)
        runtime.delivery_trigger = trigger
        runtime.database.after_commit.wake_deliveries = trigger.fire
    return _Transport(queue, sweep_content=True)


def _embedded(runtime: Runtime) -> _Transport:
    settings = runtime.settings
    if settings.webhooks_enabled:
        deliverer = WebhookDeliverer.from_settings(
            runtime.database, settings, on_outcome=runtime.metrics.count_webhook_delivery
        )
        runtime.webhook_worker = WebhookDeliveryWorker(
            deliverer,
            batch_size=settings.webhook_batch_size,
            poll_seconds=settings.webhook_poll_seconds,
        )
        runtime.webhook_worker.start()
        runtime.database.after_commit.wake_deliveries = runtime.webhook_worker.wake

    def wake_worker() -> None:
        if runtime.worker is not None:
            runtime.worker.wake()

    queue = InProcessJobQueue(
        runtime.database,
        settings,
        lambda: runtime.scorer,
        transactions=runtime.transactions,
        wake=wake_worker,
        metrics=runtime.metrics,
    )

    def start_worker(scorer: BatchingScorer) -> None:
        runtime.worker = InProcessWorker(
            runtime.transactions,
            scorer,
            batch_size=settings.worker_batch_size,
            poll_seconds=settings.worker_poll_seconds,
            lease_seconds=settings.worker_lease_seconds,
            base_backoff_seconds=settings.worker_base_backoff_seconds,
            metrics=runtime.metrics,
        )
        runtime.worker.start()

    return _Transport(
        queue, sweep_content=False, on_scorer=start_worker if settings.worker_enabled else None
    )


def _start_relay(runtime: Runtime) -> None:
    """Relay outbox events to every sink: the broker topic (when configured) and webhooks."""
    settings = runtime.settings
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
    sinks.append(WebhookEventSink())
    runtime.relay = OutboxRelay(
        runtime.database,
        sinks,
        batch_size=settings.relay_batch_size,
        poll_seconds=settings.relay_poll_seconds,
        max_backoff_seconds=settings.relay_max_backoff_seconds,
    )
    runtime.relay.start()
    # Events committed anywhere in this process (requests, the worker's decisions) leave now
    # rather than at the relay's next poll.
    runtime.database.after_commit.wake_relay = runtime.relay.wake


async def stop(runtime: Runtime) -> None:
    """Stop the loops, then close what they used."""
    # Jobs first: they use the scorer and the database, which close below.
    if runtime.sweeper is not None:
        await runtime.sweeper.stop()
    if runtime.job_queue is not None:
        await runtime.job_queue.close()
    if runtime.webhook_worker is not None:
        await runtime.webhook_worker.stop()
    if runtime.delivery_trigger is not None:
        await runtime.delivery_trigger.close()
    if runtime.worker is not None:
        await runtime.worker.stop()
    if runtime.relay is not None:
        await runtime.relay.stop()
    if runtime.scorer is not None:
        await runtime.scorer.close()
    await runtime.rate_limiter.close()
    if runtime.content_cache is not None:
        await runtime.content_cache.close()
    if runtime.score_cache is not None:
        await runtime.score_cache.close()
    if runtime.redis is not None:
        await runtime.redis.aclose()
    await runtime.database.dispose()
