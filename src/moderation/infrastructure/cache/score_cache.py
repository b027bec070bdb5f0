"""A bounded Redis cache of `POST /api/v1/moderate` results for texts scored before."""

import hashlib
import json
import time
from collections.abc import Callable
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from moderation.core.config import Settings
from moderation.domain.policy import ModerationPolicy
from moderation.domain.services import TextScorer
from moderation.infrastructure.cache.redis_breaker import RedisBreaker
from moderation.infrastructure.cache.redis_client import connect_redis, score_cache_url

# Writes go through one script so that the budget check and the writes are atomic across every
# replica: two processes cannot both see room for the last entry. Beside the entries it keeps an
# index (sorted set: entry key -> expiry in ms, by the server's clock), each entry's size (hash)
# and the total size. An entry's size estimates the memory Redis spends on it: the value, the key
# three times (keyspace, index, sizes) and a fixed overhead for the structures around them.
# Expired entries leave the accounting first, a bounded number per call; the accounting keys
# expire with the newest entry, so an idle cache leaves nothing behind. An entry evicted or
# deleted behind the script's back is still counted until it would have expired: the error is
# towards fewer entries, never more.
_BOUNDED_WRITE = """
if redis.replicate_commands then redis.replicate_commands() end
local index, sizes, total = KEYS[1], KEYS[2], KEYS[3]
local ttl, max_entries, max_bytes = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local overhead = tonumber(ARGV[4])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local bytes = tonumber(redis.call('GET', total) or '0')
for _, key in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', now, 'LIMIT', 0, 1000)) do
  bytes = bytes - tonumber(redis.call('HGET', sizes, key) or '0')
  redis.call('HDEL', sizes, key)
  redis.call('ZREM', index, key)
end
if bytes < 0 then bytes = 0 end
local count = redis.call('ZCARD', index)
local written = 0
for i = 4, #KEYS do
  local key, value = KEYS[i], ARGV[i + 1]
  local size = #value + 3 * #key + overhead
  local old = tonumber(redis.call('HGET', sizes, key) or '-1')
  local others, others_bytes = count, bytes
  if old >= 0 then others, others_bytes = count - 1, bytes - old end
  if others < max_entries and others_bytes + size <= max_bytes then
    redis.call('SET', key, value, 'PX', ttl)
    redis.call('ZADD', index, now + ttl, key)
    redis.call('HSET', sizes, key, size)
    count, bytes, written = others + 1, others_bytes + size, written + 1
  end
end
redis.call('SET', total, bytes, 'PX', ttl)
redis.call('PEXPIRE', index, ttl)
redis.call('PEXPIRE', sizes, ttl)
return written
"""


# Measured with Redis 7.0 on 10,000 typical entries (~340-byte values, 125-byte keys): 1,159 bytes
# of used_memory each, against an estimate of 1,038 with this overhead.
_ENTRY_OVERHEAD = 256


class ScoreCache:
    """Remembers scoring results per (tenant, policy version, model version, text), within a
    budget.

    The key holds the policy and model versions, so a policy change (a new version) or a new
    model makes old entries unreachable at once: a cached decision is never stale, it merely
    expires unused. Every entry has a TTL, and the cache as a whole never holds more than
    ``max_entries`` entries or ``max_bytes`` bytes (all replicas together, counted atomically
    in Redis, each entry as `entry_size`); a result larger than ``max_entry_bytes`` is not
    cached. While the cache is full, results are returned uncached until entries expire. When
    Redis fails, the texts are scored without the cache, ``on_error`` is called, and Redis is
    left alone for ``retry_interval_seconds`` so that an outage does not add a timeout to
    every request. The client belongs to the caller unless ``owns_client``.
    """

    def __init__(
        self,
        client: Redis,
        ttl_seconds: int,
        *,
        prefix: str = "moderation:score:",
        max_entries: int = 100_000,
        max_bytes: int = 64 * 1024 * 1024,
        max_entry_bytes: int = 32 * 1024,
        owns_client: bool = False,
        on_error: Callable[[], None] | None = None,
        retry_interval_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds < 1:
            msg = "ttl_seconds must be at least 1"
            raise ValueError(msg)
        if min(max_entries, max_bytes, max_entry_bytes) < 1:
            msg = "the cache's budget must allow at least one entry"
            raise ValueError(msg)
        self._client = client
        self._ttl = ttl_seconds
        self._prefix = prefix
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._max_entry_bytes = min(max_entry_bytes, max_bytes)
        self._owns_client = owns_client
        self._accounting = [f"{prefix}~index", f"{prefix}~sizes", f"{prefix}~bytes"]
        self._bounded_write = client.register_script(_BOUNDED_WRITE)
        self._breaker = RedisBreaker(
            "score_cache",
            retry_interval_seconds=retry_interval_seconds,
            on_error=on_error,
            clock=clock,
        )

    @classmethod
    def for_settings(
        cls, settings: Settings, shared: Redis | None, *, on_error: Callable[[], None] | None
    ) -> "ScoreCache | None":
        """The cache `settings` ask for, or None (no Redis, or `score_cache_seconds=0`).

        It uses `shared` (the client of `redis_url`) when its database is the one chosen by
        `score_cache_url`, and otherwise a client of its own, which `close` closes."""
        if settings.redis_url is None or shared is None or settings.score_cache_seconds == 0:
            return None
        url = score_cache_url(
            settings.redis_url, settings.broker_url, settings.score_cache_redis_db
        )
        own = url != settings.redis_url
        return cls(
            connect_redis(url) if own else shared,
            settings.score_cache_seconds,
            max_entries=settings.score_cache_max_entries,
            max_bytes=settings.score_cache_max_bytes,
            max_entry_bytes=settings.score_cache_max_entry_bytes,
            owns_client=own,
            on_error=on_error,
        )

    @staticmethod
    def entry_size(key: str, value: bytes) -> int:
        """The bytes one entry counts against the budget: about what Redis spends on it."""
        return len(value) + 3 * len(key.encode()) + _ENTRY_OVERHEAD

    @property
    def client(self) -> Redis:
        """The Redis client this cache uses."""
        return self._client

    def key(self, tenant_id: UUID, policy_version: int, model_version: str, text: str) -> str:
        """The Redis key of one text's result."""
        # The hash is of the exact text, not of a normalised form: the result's span offsets
        # index into the text, so two texts that normalise alike may still need other spans.
        text_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        model_hash = hashlib.sha256(model_version.encode()).hexdigest()[:16]
        return f"{self._prefix}{tenant_id}:{policy_version}:{model_hash}:{text_hash}"

    async def score(
        self,
        tenant_id: UUID,
        policy_version: int,
        texts: list[str],
        policy: ModerationPolicy,
        scorer: TextScorer,
    ) -> list[dict[str, object]]:
        """The JSON form of each text's result: cached ones read, the rest scored and stored."""
        model_version = scorer.model_version
        keys = [self.key(tenant_id, policy_version, model_version, text) for text in texts]
        found = await self._read(keys)
        results: dict[str, dict[str, object]] = {}
        misses: dict[str, str] = {}  # key -> text; identical texts in one request scored once
        for key, text, raw in zip(keys, texts, found, strict=True):
            if raw is not None:
                results[key] = json.loads(raw)
            elif key not in results:
                misses[key] = text
        if misses:
            scored = await scorer.score(list(misses.values()), policy)
            fresh = {
                key: result.model_dump(mode="json")
                for key, result in zip(misses, scored, strict=True)
            }
            results.update(fresh)
            await self._write(fresh)
        return [results[key] for key in keys]

    async def close(self) -> None:
        """Close the client if this cache opened it."""
        if self._owns_client:
            await self._client.aclose()

    async def _read(self, keys: list[str]) -> list[bytes | str | None]:
        if not keys or self._breaker.is_open:
            return [None] * len(keys)
        try:
            values: list[bytes | str | None] = await self._client.mget(keys)
        except (RedisError, OSError):
            self._breaker.failed("mget")
            return [None] * len(keys)
        return values

    async def _write(self, entries: dict[str, dict[str, object]]) -> None:
        if self._breaker.is_open:
            return
        keys: list[str] = []
        values: list[bytes] = []
        for key, value in entries.items():
            encoded = json.dumps(value, separators=(",", ":")).encode()
            if len(encoded) <= self._max_entry_bytes:
                keys.append(key)
                values.append(encoded)
        if not keys:
            return
        try:
            await self._bounded_write(
                keys=[*self._accounting, *keys],
                args=[
                    self._ttl * 1000,
                    self._max_entries,
                    self._max_bytes,
                    _ENTRY_OVERHEAD,
                    *values,
                ],
            )
        except (RedisError, OSError):
            self._breaker.failed("set")
