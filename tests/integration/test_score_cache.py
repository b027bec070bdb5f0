"""The score cache's budget against the real local Redis: several caches on one prefix stand for
API replicas sharing one Redis, and the budget holds for all of them together, atomically."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from moderation.domain.models import Decision, ModerationResult
from moderation.domain.policy import ModerationPolicy
from moderation.infrastructure.cache import ScoreCache, connect_redis

# Database 13 of the local Redis is this module's; each test also has its own prefix.
REDIS_URL = "redis://127.0.0.1:6379/13"

pytestmark = pytest.mark.asyncio


class CountingScorer:
    """Scores every text alike and counts the texts it was asked for (cache misses)."""

    model_version = "test-model"

    def __init__(self) -> None:
        self.scored = 0

    async def score(
        self,
        texts: list[str],
        policy: ModerationPolicy,  # noqa: ARG002 - the TextScorer signature
    ) -> list[ModerationResult]:
        self.scored += len(texts)
        result = ModerationResult(
            scores={},
            score=0.0,
            confidence=1.0,
            decision=Decision.APPROVE,
            reasons=[],
            language="en",
            language_confidence=1.0,
            tier="fast",
            model_version=self.model_version,
        )
        return [result] * len(texts)


@pytest_asyncio.fixture
async def redis() -> AsyncIterator[Redis]:
    client = connect_redis(REDIS_URL)
    yield client
    await client.aclose()


@pytest_asyncio.fixture
async def prefix(redis: Redis) -> AsyncIterator[str]:
    name = f"test:score:{uuid.uuid4().hex}:"
    yield name
    keys = [key async for key in redis.scan_iter(match=f"{name}*", count=1000)]
    if keys:
        await redis.delete(*keys)


async def _entries(redis: Redis, prefix: str) -> int:
    return len([key async for key in redis.scan_iter(match=f"{prefix}*-*", count=1000)])


async def test_concurrent_replicas_together_stay_within_the_entry_budget(
    redis: Redis, prefix: str
) -> None:
    clients = [connect_redis(REDIS_URL) for _ in range(4)]
    caches = [ScoreCache(c, 60, prefix=prefix, max_entries=25) for c in clients]
    scorer = CountingScorer()
    tenant = uuid.uuid4()

    async def fill(replica: int) -> None:
        for batch in range(5):
            texts = [f"replica {replica} batch {batch} text {n}" for n in range(4)]
            await caches[replica].score(tenant, 0, texts, ModerationPolicy(), scorer)

    await asyncio.gather(*(fill(replica) for replica in range(4)))
    for client in clients:
        await client.aclose()

    assert scorer.scored == 80
    assert await _entries(redis, prefix) == 25
    assert await redis.zcard(f"{prefix}~index") == 25


async def test_expired_entries_free_their_room(redis: Redis, prefix: str) -> None:
    cache = ScoreCache(redis, 1, prefix=prefix, max_entries=2)
    scorer = CountingScorer()
    tenant = uuid.uuid4()
    await cache.score(tenant, 0, ["a", "b", "c"], ModerationPolicy(), scorer)
    assert await _entries(redis, prefix) == 2

    await asyncio.sleep(1.1)  # the shortest TTL there is: one second
    await cache.score(tenant, 0, ["d", "e"], ModerationPolicy(), scorer)
    again = scorer.scored
    await cache.score(tenant, 0, ["d", "e"], ModerationPolicy(), scorer)

    assert scorer.scored == again  # both read from the cache
    assert await _entries(redis, prefix) == 2
    assert await redis.zcard(f"{prefix}~index") == 2
