"""The content read cache against the real local Redis: fills, leases, invalidation, tenant
epochs after a lost invalidation, and reads that keep working while Redis is down.

Two `ContentReadCache` instances on one prefix stand for two processes (API replicas, a worker)
sharing one Redis. `FaultyRedis` is the real Redis whose pipelines (invalidations and epoch
bumps) can be sent to a dead port instead, to lose exactly the calls a test wants lost.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import pytest_asyncio
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.crc import key_slot
from structlog.testing import capture_logs
from structlog.typing import EventDict

from moderation.core.exceptions import NotFoundError
from moderation.infrastructure.cache import ContentReadCache, connect_redis
from moderation.infrastructure.database import AfterCommitActions, PendingEffects

REDIS_URL = "redis://127.0.0.1:6379/0"
DEAD_URL = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.asyncio


class FakeClock:
    """A monotonic clock a test moves by hand, to step over the retry interval."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Loader:
    """A loader that counts its calls and returns `body` (what the database holds now)."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.calls = 0

    async def __call__(self) -> bytes:
        self.calls += 1
        return self.body


class _HookedPipeline(Pipeline):
    hook: Callable[[], Awaitable[None]] | None = None

    async def execute(self, raise_on_error: bool = True) -> list[Any]:
        if self.hook is not None:
            await self.hook()
        return await super().execute(raise_on_error)


class FaultyRedis(Redis):
    """The real Redis; while `failing`, pipelines go to a dead port. `next_hook` runs inside the
    next pipeline's `execute`, before its commands are sent."""

    def __init__(self, dead: Redis) -> None:
        super().__init__(host="127.0.0.1", port=6379, socket_timeout=1.0)
        self.dead = dead
        self.failing = False
        self.next_hook: Callable[[], Awaitable[None]] | None = None

    def pipeline(self, transaction: bool = True, shard_hint: str | None = None) -> Pipeline:
        if self.failing:
            return self.dead.pipeline(transaction, shard_hint)
        pipe = _HookedPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint
        )
        pipe.hook, self.next_hook = self.next_hook, None
        return pipe


@pytest.fixture(autouse=True)
def logs() -> Iterator[list[EventDict]]:
    # Captured, not rendered: a rendered Redis traceback takes seconds.
    with capture_logs() as captured:
        yield captured


@pytest_asyncio.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, socket_timeout=1.0, socket_connect_timeout=1.0)
    try:
        await client.ping()
    except OSError as exc:  # pragma: no cover - environment without Redis
        await client.aclose()
        pytest.skip(f"Redis not reachable: {exc}")
    yield client
    await client.aclose()


@pytest_asyncio.fixture
async def prefix(redis: Redis) -> AsyncIterator[str]:
    name = f"test:content:{uuid.uuid4().hex}:"
    yield name
    keys = [key async for key in redis.scan_iter(match=name + "*")]
    if keys:
        await redis.delete(*keys)


@pytest_asyncio.fixture
async def dead() -> AsyncIterator[Redis]:
    client = connect_redis(DEAD_URL)
    yield client
    await client.aclose()


@pytest_asyncio.fixture
async def faulty(dead: Redis) -> AsyncIterator[FaultyRedis]:
    client = FaultyRedis(dead)
    yield client
    await client.aclose()


def _ids() -> tuple[uuid.UUID, uuid.UUID]:
    return uuid.uuid4(), uuid.uuid4()


async def _lose_invalidation(
    cache: ContentReadCache, faulty: FaultyRedis, pairs: list[tuple[uuid.UUID, uuid.UUID]]
) -> None:
    """`cache`'s process commits a write whose invalidation does not reach Redis."""
    faulty.failing = True
    await cache.invalidate(pairs)
    faulty.failing = False


async def test_a_miss_is_loaded_and_filled_then_the_next_read_hits(
    redis: Redis, prefix: str
) -> None:
    outcomes: list[str] = []
    cache = ContentReadCache(redis, 60, prefix=prefix, on_lookup=outcomes.append)
    tenant, item = _ids()
    load = Loader(b'{"moderation_status":"approved"}')

    first = await cache.read(tenant, item, load)
    second = await cache.read(tenant, item, load)

    assert first == second == b'{"moderation_status":"approved"}'
    assert load.calls == 1
    assert outcomes == ["miss", "hit"]
    entry, _, lease = cache.keys(tenant, item)
    assert await redis.exists(entry) == 1
    assert await redis.exists(lease) == 0


async def test_entries_expire_within_the_ttl(redis: Redis, prefix: str) -> None:
    cache = ContentReadCache(redis, 45, prefix=prefix)
    tenant, item = _ids()

    await cache.read(tenant, item, Loader(b"{}"))

    entry, _, _ = cache.keys(tenant, item)
    assert 0 < await redis.ttl(entry) <= 45


async def test_a_loader_that_raises_caches_nothing(redis: Redis, prefix: str) -> None:
    cache = ContentReadCache(redis, 60, prefix=prefix, lease_ms=200)
    tenant, item = _ids()

    async def missing() -> bytes:
        raise NotFoundError("content not found")

    with pytest.raises(NotFoundError):
        await cache.read(tenant, item, missing)

    entry, _, lease = cache.keys(tenant, item)
    assert await redis.exists(entry) == 0
    # The lease it took is bounded: it cannot keep the item out of the cache for long.
    assert 0 < await redis.pttl(lease) <= 200
    load = Loader(b"created later")
    assert await cache.read(tenant, item, load) == b"created later"
    assert load.calls == 1


@pytest.mark.parametrize("writer", ["same process", "other process"])
async def test_a_fill_loaded_before_an_invalidation_does_not_land(
    redis: Redis, prefix: str, writer: str
) -> None:
    reader = ContentReadCache(redis, 60, prefix=prefix)
    invalidator = reader if writer == "same process" else ContentReadCache(redis, 60, prefix=prefix)
    tenant, item = _ids()

    async def load_then_write_commits() -> bytes:
        # The reader has its lease and has read the row; a write commits and invalidates
        # before the reader's fill reaches Redis.
        await invalidator.invalidate([(tenant, item)])
        return b"pending"

    # The reader itself answers with what it read (the write was not committed when it read).
    assert await reader.read(tenant, item, load_then_write_commits) == b"pending"

    entry, _, _ = reader.keys(tenant, item)
    assert await redis.exists(entry) == 0
    load = Loader(b"approved")
    assert await reader.read(tenant, item, load) == b"approved"
    assert load.calls == 1
    assert await reader.read(tenant, item, load) == b"approved"
    assert load.calls == 1


async def test_a_reader_without_the_lease_loads_but_does_not_fill(
    redis: Redis, prefix: str
) -> None:
    outcomes: list[str] = []
    cache = ContentReadCache(redis, 60, prefix=prefix, on_lookup=outcomes.append)
    other = ContentReadCache(redis, 60, prefix=prefix)
    tenant, item = _ids()
    entry, _, _ = cache.keys(tenant, item)
    second_reader = Loader(b"v")
    seen_while_leased: list[int] = []

    async def first_reader() -> bytes:
        # While this reader holds the lease, another reader comes along.
        assert await other.read(tenant, item, second_reader) == b"v"
        seen_while_leased.append(await redis.exists(entry))
        return b"v"

    assert await cache.read(tenant, item, first_reader) == b"v"

    assert second_reader.calls == 1
    assert seen_while_leased == [0]
    assert await redis.exists(entry) == 1
    assert await cache.read(tenant, item, Loader(b"unused")) == b"v"
    assert outcomes == ["miss", "hit"]


async def test_items_and_tenants_are_cached_apart(redis: Redis, prefix: str) -> None:
    cache = ContentReadCache(redis, 60, prefix=prefix)
    tenant, item = _ids()
    other_tenant, other_item = _ids()
    await cache.read(tenant, item, Loader(b"a"))
    await cache.read(other_tenant, item, Loader(b"b"))
    await cache.read(tenant, other_item, Loader(b"c"))

    await cache.invalidate([(tenant, item)])

    assert await cache.read(other_tenant, item, Loader(b"unused")) == b"b"
    assert await cache.read(tenant, other_item, Loader(b"unused")) == b"c"
    assert await cache.read(tenant, item, Loader(b"a2")) == b"a2"


async def test_committed_effects_invalidate_the_changed_content_of_the_session(
    redis: Redis, prefix: str
) -> None:
    cache = ContentReadCache(redis, 60, prefix=prefix)
    tenant, item = _ids()
    _, kept = _ids()
    await cache.read(tenant, item, Loader(b"old"))
    await cache.read(tenant, kept, Loader(b"kept"))

    actions = AfterCommitActions(invalidate_content=cache.invalidate)
    effects = PendingEffects()
    effects.events_written()
    effects.committed()
    await effects.run(actions)
    assert await cache.read(tenant, item, Loader(b"unused")) == b"old"

    effects.content_changed(tenant, item)
    effects.committed()
    await effects.run(actions)

    assert await cache.read(tenant, item, Loader(b"new")) == b"new"
    assert await cache.read(tenant, kept, Loader(b"unused")) == b"kept"


async def test_a_lost_invalidation_retires_the_tenants_entries_once_redis_answers(
    redis: Redis, prefix: str, faulty: FaultyRedis
) -> None:
    clock = FakeClock()
    errors: list[None] = []
    api = ContentReadCache(redis, 60, prefix=prefix)
    worker = ContentReadCache(
        faulty, 60, prefix=prefix, clock=clock, on_error=lambda: errors.append(None)
    )
    tenant, item = _ids()
    _, sibling = _ids()
    other_tenant, _ = _ids()
    await api.read(tenant, item, Loader(b"pending"))
    await api.read(tenant, sibling, Loader(b"sibling"))
    await api.read(other_tenant, item, Loader(b"other tenant"))

    # The worker decides the item; its invalidation is lost, and it backs off.
    await _lose_invalidation(worker, faulty, [(tenant, item)])
    assert len(errors) == 1
    entry, _, _ = api.keys(tenant, item)
    assert await redis.exists(entry) == 1

    # Inside the retry interval the worker neither serves nor touches the cache.
    during = Loader(b"approved")
    assert await worker.read(tenant, item, during) == b"approved"
    assert during.calls == 1

    # Redis answers again: the worker's next call bumps the epoch before anything else.
    clock.advance(10)
    after = Loader(b"approved")
    assert await worker.read(tenant, item, after) == b"approved"
    assert after.calls == 1
    elsewhere = Loader(b"approved")
    assert await api.read(tenant, item, elsewhere) == b"approved"
    # The tenant's other entries went too (which items the lost call named is unknown)...
    refreshed = Loader(b"sibling, reloaded")
    assert await api.read(tenant, sibling, refreshed) == b"sibling, reloaded"
    # ...and no other tenant's.
    assert await api.read(other_tenant, item, Loader(b"unused")) == b"other tenant"
    assert len(errors) == 1


async def test_a_lost_invalidation_is_settled_in_the_background_without_another_call(
    redis: Redis, prefix: str, faulty: FaultyRedis
) -> None:
    # A worker whose last decision's invalidation was lost, and that then has nothing left to
    # do, must not leave the API replicas serving the old entry until the TTL.
    api = ContentReadCache(redis, 60, prefix=prefix)
    worker = ContentReadCache(faulty, 60, prefix=prefix, retry_interval_seconds=0.05)
    tenant, item = _ids()
    await api.read(tenant, item, Loader(b"pending"))
    await _lose_invalidation(worker, faulty, [(tenant, item)])
    assert await api.read(tenant, item, Loader(b"approved")) == b"pending", "stale meanwhile"

    async def settled() -> None:
        while await api.read(tenant, item, Loader(b"approved")) != b"approved":
            await asyncio.sleep(0.02)

    await asyncio.wait_for(settled(), 2.0)
    await worker.close()


async def test_close_retires_the_entries_of_a_lost_invalidation(
    redis: Redis, prefix: str, faulty: FaultyRedis
) -> None:
    clock = FakeClock()
    api = ContentReadCache(redis, 60, prefix=prefix)
    worker = ContentReadCache(faulty, 60, prefix=prefix, clock=clock)
    tenant, item = _ids()
    await api.read(tenant, item, Loader(b"pending"))
    await _lose_invalidation(worker, faulty, [(tenant, item)])

    await worker.close()

    assert await api.read(tenant, item, Loader(b"approved")) == b"approved"


async def test_a_fill_does_not_land_after_this_process_lost_an_invalidation_meanwhile(
    redis: Redis, prefix: str, faulty: FaultyRedis
) -> None:
    clock = FakeClock()
    cache = ContentReadCache(faulty, 60, prefix=prefix, clock=clock)
    other = ContentReadCache(redis, 60, prefix=prefix)
    tenant, item = _ids()

    async def load_then_write_loses_its_invalidation() -> bytes:
        await _lose_invalidation(cache, faulty, [(tenant, item)])
        return b"pending"

    assert await cache.read(tenant, item, load_then_write_loses_its_invalidation) == b"pending"

    # Another process must not find what this reader loaded before the write.
    assert await other.read(tenant, item, Loader(b"approved")) == b"approved"


async def test_a_loss_during_an_epoch_bump_is_settled_by_another_bump(
    redis: Redis, prefix: str, faulty: FaultyRedis
) -> None:
    clock = FakeClock()
    worker = ContentReadCache(faulty, 60, prefix=prefix, clock=clock)
    api = ContentReadCache(redis, 60, prefix=prefix)
    tenant, item = _ids()
    _, earlier = _ids()
    await _lose_invalidation(worker, faulty, [(tenant, earlier)])
    clock.advance(10)

    async def another_loss() -> None:
        # While the bump for the first loss is on its way, another write of the tenant
        # commits and its invalidation is lost too.
        await _lose_invalidation(worker, faulty, [(tenant, item)])

    faulty.next_hook = another_loss
    await worker.close()
    # A reader elsewhere took its lease after that bump and loaded the row before the second
    # write: its fill lands, and only a second bump can retire it.
    assert await api.read(tenant, item, Loader(b"pending")) == b"pending"

    clock.advance(10)
    load = Loader(b"approved")
    assert await worker.read(tenant, item, load) == b"approved"
    assert load.calls == 1
    assert await api.read(tenant, item, Loader(b"approved")) == b"approved"


async def test_an_evicted_epoch_does_not_bring_back_retired_entries(
    redis: Redis, prefix: str, faulty: FaultyRedis
) -> None:
    clock = FakeClock()
    api = ContentReadCache(redis, 60, prefix=prefix)
    worker = ContentReadCache(faulty, 60, prefix=prefix, clock=clock)
    tenant, item = _ids()
    await api.read(tenant, item, Loader(b"pending"))
    await _lose_invalidation(worker, faulty, [(tenant, item)])
    await worker.close()

    # Under `allkeys-lru` Redis may evict the epoch key, and keep the retired entry.
    _, epoch, _ = api.keys(tenant, item)
    assert await redis.delete(epoch) == 1

    load = Loader(b"approved")
    assert await api.read(tenant, item, load) == b"approved"
    assert load.calls == 1


async def test_reads_bypass_the_cache_while_redis_is_down(
    prefix: str, dead: Redis, logs: list[EventDict]
) -> None:
    outcomes: list[str] = []
    errors: list[None] = []
    cache = ContentReadCache(
        dead,
        60,
        prefix=prefix,
        on_lookup=outcomes.append,
        on_error=lambda: errors.append(None),
    )
    tenant, item = _ids()
    load = Loader(b"from the database")

    first = await cache.read(tenant, item, load)
    second = await cache.read(tenant, item, load)

    assert first == second == b"from the database"
    assert load.calls == 2
    assert outcomes == ["bypass", "bypass"]
    # One failure, then the cache leaves Redis alone for the retry interval.
    assert len(errors) == 1
    # A write meanwhile is remembered, not raised; closing tries Redis once more, quietly.
    await cache.invalidate([(tenant, item)])
    await cache.close()
    assert len(errors) == 2
    assert [log["event"] for log in logs].count("content_cache.redis_failed") == 1


async def test_all_keys_of_a_tenant_share_one_cluster_slot(redis: Redis, prefix: str) -> None:
    cache = ContentReadCache(redis, 60, prefix=prefix)
    tenant, item = _ids()
    _, other_item = _ids()

    slots = {
        key_slot(key.encode()) for key in cache.keys(tenant, item) + cache.keys(tenant, other_item)
    }

    assert len(slots) == 1
    assert all(f"{{{tenant}}}" in key for key in cache.keys(tenant, item))


@pytest.mark.parametrize("ttl", [0, -1])
async def test_a_ttl_below_one_second_is_refused(redis: Redis, ttl: int) -> None:
    with pytest.raises(ValueError, match="ttl_seconds"):
        ContentReadCache(redis, ttl)
