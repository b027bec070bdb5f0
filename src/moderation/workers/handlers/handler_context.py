import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from moderation.core.config import Settings
from moderation.domain.services import JobQueue, TextScorer
from moderation.infrastructure.database import Database
from moderation.infrastructure.metrics import ServiceMetrics

if TYPE_CHECKING:
    from moderation.infrastructure.webhooks import WebhookDeliverer

ScorerProvider = Callable[[], Awaitable[TextScorer]]


@dataclass
class HandlerContext:
    """What a task handler runs with, in the API process or in a Celery worker process.

    `scorer` is awaited when a handler needs the engine, so processes that only import files or
    sweep never load a model.
    """

    database: Database
    settings: Settings
    queue: JobQueue
    scorer: ScorerProvider
    metrics: ServiceMetrics | None = None
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _deliverer: "WebhookDeliverer | None" = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # Items a handler creates (imports) are sent for moderation once committed, through this
        # context's queue unless the process already chose how (the API: the same queue).
        if self.database.after_commit.moderate is None:
            self.database.after_commit.moderate = self.queue.moderate

    def webhook_deliverer(self) -> "WebhookDeliverer":
        """This context's webhook deliverer, made on first use and kept: its HTTP client (TLS
        context, connection pool) is costly to build per task."""
        if self._deliverer is None:
            from moderation.infrastructure.webhooks import WebhookDeliverer

            self._deliverer = WebhookDeliverer.from_settings(
                self.database,
                self.settings,
                on_outcome=self.metrics.count_webhook_delivery if self.metrics else None,
            )
            # Closed before the database (the last closer) that its final writes use.
            self.closers.insert(max(0, len(self.closers) - 1), self._deliverer.aclose)
        return self._deliverer

    @classmethod
    def standalone(cls, settings: Settings, queue: JobQueue) -> "HandlerContext":
        """A context of its own (worker process, CLI): a database pool, and the engine loaded
        on first use and served through a micro-batching scorer.

        With `engine_process` (the default) the engine runs in spawned child processes, as in
        the API: in one process it took the GIL from the event loop that claims, decides and
        delivers webhooks, so a worker used one core however many it had."""
        from moderation.infrastructure.ml import BatchingScorer, BlockingEngine, EngineProcess
        from moderation.ml.engine import Engine, EngineOptions

        database = Database(settings.effective_database_url)
        closers = cls.invalidate_content_cache(database, settings)
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

        return cls(
            database=database,
            settings=settings,
            queue=queue,
            scorer=scorer,
            closers=[close_scorer, queue.close, *closers, database.dispose],
        )

    @staticmethod
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

    async def close(self) -> None:
        """Release what `standalone` opened, in order."""
        for closer in self.closers:
            await closer()
        self.closers.clear()
