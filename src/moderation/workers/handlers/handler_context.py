import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from moderation.core.config import Settings
from moderation.domain.services import JobQueue, TextScorer
from moderation.infrastructure.database import Database
from moderation.infrastructure.metrics import ServiceMetrics

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

    @classmethod
    def standalone(cls, settings: Settings, queue: JobQueue) -> "HandlerContext":
        """A context of its own (worker process, CLI): a database pool, and the engine loaded
        on first use and served through a micro-batching scorer."""
        from moderation.infrastructure.ml import BatchingScorer
        from moderation.ml.engine import Engine, EngineOptions

        database = Database(settings.effective_database_url)
        closers = cls.invalidate_content_cache(database, settings)
        loaded: list[BatchingScorer] = []
        lock = asyncio.Lock()

        async def scorer() -> TextScorer:
            async with lock:
                if not loaded:
                    options = EngineOptions(semantic=settings.semantic)
                    engine = await asyncio.to_thread(Engine.load, settings.model, None, options)
                    await asyncio.to_thread(engine.warm_up)
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
        database.add_commit_hook(cache.invalidate_committed)
        return [cache.close, redis.aclose]

    async def close(self) -> None:
        """Release what `standalone` opened, in order."""
        for closer in self.closers:
            await closer()
        self.closers.clear()
