"""A Redis cache of `GET /api/v1/content/{id}` responses that never serves a stale decision."""

import asyncio
import contextlib
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from uuid import UUID

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from moderation.infrastructure.cache.redis_breaker import RedisBreaker

_log = structlog.get_logger(__name__)


# One round trip for a read: the entry counts only when it was filled under the tenant's
# current epoch; on a miss the caller gets a fill lease (or learns another reader holds it).
# Returns {1, body} on a hit, {0, epoch} with the lease taken, {2, epoch} without it.
# Epochs are random tokens, and a missing one is replaced by a fresh token (ARGV[3]), never by
# a default: an epoch key evicted under `allkeys-lru` must not bring back entries an earlier
# bump had retired (with a counter falling back to 0 it would).
_READ = """
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  epoch = ARGV[3]
  redis.call('SET', KEYS[2], epoch)
end
local value = redis.call('GET', KEYS[1])
if value then
  local sep = string.find(value, ':', 1, true)
  if sep and string.sub(value, 1, sep - 1) == epoch then
    return {1, string.sub(value, sep + 1)}
  end
end
if redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {0, epoch}
end
return {2, epoch}
"""

# A fill lands only if no write invalidated the item (which deletes the lease) and no epoch
# bump happened since the read: what the reader loaded from the database is still current.
_FILL = """
if redis.call('GET', KEYS[3]) == ARGV[1] and redis.call('GET', KEYS[2]) == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[2] .. ':' .. ARGV[3], 'EX', ARGV[4])
  redis.call('DEL', KEYS[3])
  return 1
end
return 0
"""

Loader = Callable[[], Awaitable[bytes]]


class ContentReadCache:
    """Caches one item's response body per (tenant, item), invalidated after every commit
    that changed the item, in whichever process made it (API, in-process worker, Celery
    worker, job).

    Three rules keep it from ever answering with an older decision than the database holds:

    * **Fill leases.** A reader that misses takes a lease *before* it reads the database, and
      its fill is stored only if the lease is still there. An invalidation deletes the entry
      and the lease, so a reader that loaded the row before a write committed cannot put the
      old version back after the write's invalidation (the classic delete-then-refill race).
    * **Tenant epochs.** An entry is tagged with its tenant's epoch when stored and counts only
      while that epoch is current. A process whose post-commit invalidation failed (Redis
      unreachable) remembers the tenants concerned, serves nothing from the cache meanwhile,
      and bumps their epochs before it uses Redis again, dropping every entry they had.
    * **A bounded life.** Entries expire after ``ttl_seconds`` whatever happens, the last
      resort for a writer that died between its commit and a failed invalidation.

    When Redis fails, reads go to the database, ``on_error`` is called, and Redis is left
    alone for ``retry_interval_seconds``. Keys of one tenant share a hash tag, so the scripts
    also run on Redis Cluster. The client belongs to the caller.
    """

    def __init__(
        self,
        client: Redis,
        ttl_seconds: int,
        *,
        prefix: str = "moderation:content:",
        lease_ms: int = 5_000,
        on_error: Callable[[], None] | None = None,
        on_lookup: Callable[[str], None] | None = None,
        retry_interval_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds < 1:
            msg = "ttl_seconds must be at least 1"
            raise ValueError(msg)
        self._client = client
        self._ttl = ttl_seconds
        self._prefix = prefix
        self._lease_ms = lease_ms
        self._on_lookup = on_lookup
        self._read_script = client.register_script(_READ)
        self._fill_script = client.register_script(_FILL)
        self._breaker = RedisBreaker(
            "content_cache",
            retry_interval_seconds=retry_interval_seconds,
            on_error=on_error,
            clock=clock,
        )
        # Tenants with an invalidation that did not reach Redis: their epochs must be bumped.
        # Each maps to the number of the latest loss, so that a bump only settles the losses
        # that happened before it was sent (one during it needs another bump).
        self._unsettled: dict[UUID, int] = {}
        self._losses = 0
        self._retry_interval = retry_interval_seconds
        self._settler: asyncio.Task[None] | None = None

    def keys(self, tenant_id: UUID, content_id: UUID) -> list[str]:
        """The entry, tenant epoch and fill-lease keys of one item."""
        base = f"{self._prefix}{{{tenant_id}}}:"
        return [f"{base}{content_id}", self._epoch_key(tenant_id), f"{base}{content_id}:lease"]

    def _epoch_key(self, tenant_id: UUID) -> str:
        return f"{self._prefix}{{{tenant_id}}}:epoch"

    async def read(self, tenant_id: UUID, content_id: UUID, load: Loader) -> bytes:
        """The item's response body: from Redis when current there, else from `load` (which
        reads the database, and raises when there is no such item: nothing is cached then),
        stored for the next reader."""
        if not await self._usable():
            self._count("bypass")
            return await load()
        keys = self.keys(tenant_id, content_id)
        token = secrets.token_hex(8)
        try:
            found = await self._read_script(
                keys=keys, args=[token, self._lease_ms, secrets.token_hex(8)]
            )
        except (RedisError, OSError):
            self._breaker.failed("read")
            self._count("bypass")
            return await load()
        outcome, payload = int(found[0]), found[1]
        if outcome == 1:
            self._count("hit")
            return payload if isinstance(payload, bytes) else str(payload).encode()
        self._count("miss")
        body = await load()
        # An invalidation of this tenant that this process lost while `load` ran may have been
        # for this very item: what was loaded may be older than the database now.
        if outcome != 0 or tenant_id in self._unsettled:
            return body
        epoch = payload.decode() if isinstance(payload, bytes) else str(payload)
        try:
            await self._fill_script(keys=keys, args=[token, epoch, body, self._ttl])
        except (RedisError, OSError):
            self._breaker.failed("fill")
        return body

    async def invalidate(self, changed: Iterable[tuple[UUID, UUID]]) -> None:
        """Forget the given (tenant, item) pairs; called after the commit that changed them.

        While Redis is failing, the tenants are only remembered (no timeout per write); their
        epochs are bumped by the first later call that reaches Redis."""
        pairs = list(changed)
        if not pairs and not self._unsettled:
            return
        if self._breaker.is_open:
            self._lost(pairs)
            return
        if not await self._settle():
            self._lost(pairs)
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for tenant_id, content_id in pairs:
                    entry, _, lease = self.keys(tenant_id, content_id)
                    pipe.delete(entry, lease)
                await pipe.execute()
        except (RedisError, OSError):
            self._lost(pairs)
            self._breaker.failed("invalidate")

    async def close(self) -> None:
        """Try once more to bump the epochs of tenants with a lost invalidation."""
        if self._settler is not None:
            self._settler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._settler
            self._settler = None
        await self._settle()

    async def _usable(self) -> bool:
        """Whether reads may use Redis now: not while backing off after a failure, and not
        before the epochs of tenants with a lost invalidation are bumped."""
        if self._breaker.is_open:
            return False
        return await self._settle()

    async def _settle(self) -> bool:
        """Bump the epochs of the tenants whose invalidation was lost; False if Redis failed."""
        if not self._unsettled:
            return True
        settling = dict(self._unsettled)
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                for tenant_id in settling:
                    pipe.set(self._epoch_key(tenant_id), secrets.token_hex(8))
                await pipe.execute()
        except (RedisError, OSError):
            self._breaker.failed("epoch")
            return False
        for tenant_id, loss in settling.items():
            if self._unsettled.get(tenant_id) == loss:
                del self._unsettled[tenant_id]
        _log.info("content_cache.epochs_bumped", tenants=len(settling))
        return True

    def _lost(self, pairs: Iterable[tuple[UUID, UUID]]) -> None:
        """Remember the tenants of invalidations that did not reach Redis, and keep trying to
        bump their epochs in the background."""
        self._losses += 1
        for tenant_id, _ in pairs:
            self._unsettled[tenant_id] = self._losses
        if self._unsettled and self._settler is None:
            self._settler = asyncio.create_task(self._settle_soon(), name="content-cache-settle")

    async def _settle_soon(self) -> None:
        # Until the epochs move, every replica may serve what the lost invalidation meant to
        # delete; a process that makes no further Redis call (a worker with nothing left to
        # decide) would otherwise leave them to the TTL.
        try:
            while self._unsettled:
                await asyncio.sleep(self._retry_interval)
                if not self._breaker.is_open:
                    await self._settle()
        finally:
            self._settler = None

    def _count(self, outcome: str) -> None:
        if self._on_lookup is not None:
            self._on_lookup(outcome)
