"""Composition of the processes that run task handlers outside the API (a Celery worker, the
CLI): their own database pool and `Transactions`, the content-cache invalidation, and the
engine loaded on first use."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from moderation.core.config import Settings
from moderation.domain.services import JobQueue, TextScorer, Transactions
from moderation.infrastructure.database import Database
from moderation.infrastructure.repositories import SqlTransactions
from moderation.workers.handlers import HandlerContext

if TYPE_CHECKING:
    # Imported where the app is made: the CLI's other commands need no Celery.
    from celery import Celery  # type: ignore[import-untyped]


def standalone_context(settings: Settings, queue: JobQueue) -> HandlerContext:
    """A context of its own (worker process, CLI): a database pool, and the engine loaded
    on first use and served through a micro-batching scorer.

    With `engine_process` (the default) the engine runs in spawned child processes, as in
    the API: in one process it took the GIL from the event loop that claims, decides and
    delivers webhooks, so a worker used one core however many it had."""
    from moderation.infrastructure.ml import BatchingScorer, BlockingEngine, EngineProcess
    from moderation.ml.engine import Engine, EngineOptions

    database = Database(settings.effective_database_url)
    closers = invalidate_content_cache(database, settings)
    loaded: list[BatchingScorer] = []
    engines: list[EngineProcess] = []
    lock = asyncio.Lock()

    async def scorer() -> TextScorer:
        async with lock:
            if not loaded:
                options = EngineOptions(
                    semantic=settings.semantic, rule_deadline_ms=settings.rule_deadline_ms
                )
                engine: BlockingEngine
                if settings.engine_process:
                    process = EngineProcess(
                        settings.model, options, processes=settings.engine_processes
                    )
                    await asyncio.to_thread(process.start)
                    engines.append(process)
                    engine = process
                else:
                    local = await asyncio.to_thread(Engine.load, settings.model, None, options)
                    await asyncio.to_thread(local.warm_up)
                    engine = local
                batching = BatchingScorer(
                    engine,
                    max_batch_size=settings.batch_max_size,
                    max_wait_ms=settings.batch_max_wait_ms,
                    queue_limit=settings.scoring_queue_limit,
                )
                batching.start()
                loaded.append(batching)
        return loaded[0]

    async def close_scorer() -> None:
        for batching in loaded:
            await batching.close()
        for process in engines:
            await asyncio.to_thread(process.close)

    return HandlerContext(
        database=database,
        transactions=SqlTransactions(database),
        settings=settings,
        queue=queue,
        scorer=scorer,
        closers=[close_scorer, queue.close, *closers, database.dispose],
    )


async def celery_context(settings: Settings, queue: JobQueue) -> HandlerContext:
    """`standalone_context` as the Celery runtime's context factory."""
    return standalone_context(settings, queue)


def celery_worker_app(settings: Settings) -> "Celery":
    """The Celery app a worker process consumes with: its handlers run on
    `standalone_context`."""
    from moderation.workers.celery_app import create_celery_app

    return create_celery_app(settings, context_factory=celery_context)


def invalidate_content_cache(
    database: Database, settings: Settings
) -> list[Callable[[], Awaitable[None]]]:
    """With Redis configured, make every commit on `database` invalidate the items it
    changed in the API's content cache (decisions made in a worker must leave it too);
    returns the closers of what it opened."""
    if not settings.redis_url:
        return []
    from moderation.infrastructure.cache import ContentReadCache, connect_redis

    redis = connect_redis(settings.redis_url)
    # Even with content_cache_seconds=0 here: the API replicas may read through the cache.
    cache = ContentReadCache(redis, max(1, settings.content_cache_seconds))
    database.after_commit.invalidate_content = cache.invalidate
    return [cache.close, redis.aclose]


@asynccontextmanager
async def standalone_transactions(settings: Settings) -> AsyncIterator[Transactions]:
    """`Transactions` on a database pool of their own, disposed of on exit (the CLI's service
    commands); no after-commit actions are wired, as nothing here sends or caches."""
    database = Database(settings.effective_database_url)
    try:
        yield SqlTransactions(database)
    finally:
        await database.dispose()
