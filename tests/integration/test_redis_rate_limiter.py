import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from moderation.infrastructure.rate_limit import RedisRateLimiter

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Redis]:
    redis = Redis.from_url(REDIS_URL, socket_timeout=1.0, socket_connect_timeout=1.0)
    try:
        await redis.ping()
    except OSError as exc:  # pragma: no cover - environment without Redis
        await redis.aclose()
        pytest.skip(f"Redis not reachable: {exc}")
    yield redis
    await redis.aclose()


@pytest_asyncio.fixture
async def limiter(client: Redis) -> AsyncIterator[RedisRateLimiter]:
    prefix = f"test:rl:{uuid.uuid4().hex}:"
    limiter = RedisRateLimiter(client, prefix=prefix)
    yield limiter
    await limiter.close()
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)


@pytest.mark.asyncio
async def test_allows_up_to_the_limit_then_refuses(limiter: RedisRateLimiter) -> None:
    decisions = [await limiter.hit("k", 3, 10.0) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert decisions[0].retry_after == 0.0
    assert decisions[0].reset_after == pytest.approx(10.0)
    assert 9.0 < decisions[3].retry_after <= 10.0
    assert 9.0 < decisions[3].reset_after <= 10.0
    assert not limiter.degraded


@pytest.mark.asyncio
async def test_keys_are_independent(limiter: RedisRateLimiter) -> None:
    assert (await limiter.hit("a", 1, 10.0)).allowed
    assert not (await limiter.hit("a", 1, 10.0)).allowed
    assert (await limiter.hit("b", 1, 10.0)).allowed


@pytest.mark.asyncio
async def test_window_slides(limiter: RedisRateLimiter) -> None:
    assert (await limiter.hit("k", 2, 0.3)).allowed
    await asyncio.sleep(0.15)
    assert (await limiter.hit("k", 2, 0.3)).allowed
    refused = await limiter.hit("k", 2, 0.3)
    assert not refused.allowed
    # The first hit leaves the window about 0.15 s from now, the second about 0.3 s from now.
    assert 0.0 < refused.retry_after < refused.reset_after <= 0.3
    await asyncio.sleep(refused.retry_after + 0.02)
    assert (await limiter.hit("k", 2, 0.3)).allowed
    assert not (await limiter.hit("k", 2, 0.3)).allowed


@pytest.mark.asyncio
async def test_state_is_shared_between_limiters_on_one_prefix(
    client: Redis, limiter: RedisRateLimiter
) -> None:
    # Two replicas are two limiter instances with the same prefix.
    replica = RedisRateLimiter(client, prefix=limiter._prefix)
    assert (await limiter.hit("k", 2, 10.0)).allowed
    assert (await replica.hit("k", 2, 10.0)).allowed
    assert not (await limiter.hit("k", 2, 10.0)).allowed
    assert not (await replica.hit("k", 2, 10.0)).allowed


@pytest.mark.asyncio
async def test_concurrent_hits_never_exceed_the_limit(limiter: RedisRateLimiter) -> None:
    decisions = await asyncio.gather(*(limiter.hit("k", 5, 10.0) for _ in range(30)))
    assert sum(d.allowed for d in decisions) == 5


@pytest.mark.asyncio
async def test_keys_expire(client: Redis, limiter: RedisRateLimiter) -> None:
    await limiter.hit("k", 2, 10.0)
    ttl = await client.pttl(limiter._prefix + "k")
    assert 0 < ttl <= 10_000


@pytest.mark.asyncio
async def test_falls_back_to_memory_when_redis_is_down() -> None:
    errors: list[None] = []
    dead = Redis.from_url(
        "redis://127.0.0.1:1/0",
        socket_connect_timeout=0.2,
        socket_timeout=0.2,
        retry=Retry(NoBackoff(), 0),
    )
    limiter = RedisRateLimiter(dead, prefix="test:rl:dead:", on_error=lambda: errors.append(None))
    try:
        decisions = [await limiter.hit("k", 2, 10.0) for _ in range(3)]
    finally:
        await limiter.close()
        await dead.aclose()
    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[2].retry_after > 0
    assert limiter.degraded
    # Only the first hit tried Redis; the rest went straight to the fallback during the cooldown.
    assert len(errors) == 1


@pytest.mark.asyncio
async def test_peek_tells_without_counting(limiter: RedisRateLimiter) -> None:
    fresh = await limiter.peek("k", 2, 10.0)
    for _ in range(5):
        await limiter.peek("k", 2, 10.0)
    hits = [await limiter.hit("k", 2, 10.0) for _ in range(2)]
    full = await limiter.peek("k", 2, 10.0)

    assert (fresh.allowed, fresh.remaining) == (True, 2)
    # Peeking five times used none of the budget.
    assert [hit.allowed for hit in hits] == [True, True]
    assert (full.allowed, full.remaining) == (False, 0)
    assert 9.0 < full.retry_after <= 10.0
    assert not (await limiter.hit("k", 2, 10.0)).allowed


@pytest.mark.asyncio
async def test_peek_sees_what_another_replica_counted(
    client: Redis, limiter: RedisRateLimiter
) -> None:
    replica = RedisRateLimiter(client, prefix=limiter._prefix)
    await replica.hit("k", 1, 10.0)

    assert not (await limiter.peek("k", 1, 10.0)).allowed


@pytest.mark.asyncio
async def test_peek_falls_back_to_memory_when_redis_is_down() -> None:
    dead = Redis.from_url(
        "redis://127.0.0.1:1/0",
        socket_connect_timeout=0.2,
        socket_timeout=0.2,
        retry=Retry(NoBackoff(), 0),
    )
    limiter = RedisRateLimiter(dead, prefix="test:rl:dead:")
    try:
        await limiter.hit("k", 1, 10.0)
        peeked = await limiter.peek("k", 1, 10.0)
    finally:
        await limiter.close()
        await dead.aclose()
    # The fallback counted the hit, so the peek sees the budget spent.
    assert not peeked.allowed
    assert limiter.degraded
