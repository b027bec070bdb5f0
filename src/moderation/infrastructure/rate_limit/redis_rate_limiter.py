import secrets
import time
from collections.abc import Callable

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from moderation.infrastructure.rate_limit.memory_rate_limiter import MemoryRateLimiter
from moderation.infrastructure.rate_limit.rate_limit_decision import RateLimitDecision

_log = structlog.get_logger(__name__)

# One sorted set per key, scored by the microsecond each counted request arrived. The clock is the
# Redis server's TIME, so replicas with skewed clocks still share one consistent window, and the
# whole read-decide-write runs atomically inside Redis. Only allowed requests are added, so a set
# never holds more than `limit` members. Lua numbers are doubles: microseconds since the epoch
# (~2^51) are still exact.
_SLIDING_WINDOW_LUA = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, string.format('%.0f', now), t[1] .. '.' .. t[2] .. ':' .. ARGV[3])
  redis.call('PEXPIRE', key, math.ceil(window / 1000))
  return {1, count + 1, 0, window}
end
local freeing = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
return {0, count, tonumber(freeing[2]) + window - now, tonumber(newest[2]) + window - now}
"""

# The same window read without adding a member: may one more request pass?
_PEEK_LUA = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
local count = redis.call('ZCARD', key)
local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
local reset = 0
if count > 0 then reset = tonumber(newest[2]) + window - now end
if count < limit then
  return {1, count, 0, reset}
end
local freeing = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return {0, count, tonumber(freeing[2]) + window - now, reset}
"""

_MICROS = 1_000_000
# While degraded, one warning per this many seconds is enough to be seen without flooding logs.
_WARN_INTERVAL_SECONDS = 30.0


class RedisRateLimiter:
    """A sliding-window-log limiter shared by every replica through Redis.

    When Redis fails, the request is decided by an in-process `MemoryRateLimiter` instead (so
    limits hold per replica rather than not at all), ``on_error`` is called, and Redis is left
    alone for ``retry_interval_seconds`` so that an outage does not add a connect timeout to every
    request. The client belongs to the caller: `close` does not close it.
    """

    def __init__(
        self,
        client: Redis,
        prefix: str = "moderation:rl:",
        on_error: Callable[[], None] | None = None,
        *,
        retry_interval_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._on_error = on_error
        self._retry_interval = retry_interval_seconds
        self._clock = clock
        self._script = client.register_script(_SLIDING_WINDOW_LUA)
        self._peek_script = client.register_script(_PEEK_LUA)
        self._fallback = MemoryRateLimiter(clock=clock)
        self._skip_redis_until = float("-inf")
        self._degraded = False
        self._last_warning = float("-inf")

    @property
    def degraded(self) -> bool:
        """Whether the last attempt to reach Redis failed."""
        return self._degraded

    async def hit(self, key: str, limit: int, window_seconds: float = 60.0) -> RateLimitDecision:
        """Count one request for ``key`` if it fits ``limit`` per ``window_seconds``."""
        return await self._run(key, limit, window_seconds, counting=True)

    async def peek(self, key: str, limit: int, window_seconds: float = 60.0) -> RateLimitDecision:
        """Whether one more request for ``key`` would fit; counts nothing."""
        return await self._run(key, limit, window_seconds, counting=False)

    async def _run(
        self, key: str, limit: int, window_seconds: float, *, counting: bool
    ) -> RateLimitDecision:
        if limit < 1:
            msg = "limit must be at least 1"
            raise ValueError(msg)
        if window_seconds <= 0:
            msg = "window_seconds must be positive"
            raise ValueError(msg)
        fallback = self._fallback.hit if counting else self._fallback.peek
        if self._clock() < self._skip_redis_until:
            return await fallback(key, limit, window_seconds)
        window_us = max(1, round(window_seconds * _MICROS))
        try:
            if counting:
                raw = await self._script(
                    keys=[self._prefix + key],
                    # The random suffix keeps two requests in the same microsecond distinct.
                    args=[limit, window_us, secrets.token_hex(8)],
                )
            else:
                raw = await self._peek_script(keys=[self._prefix + key], args=[limit, window_us])
            allowed, count, retry_us, reset_us = (int(value) for value in raw)
        except (RedisError, OSError, TimeoutError, ValueError, TypeError) as exc:
            self._record_failure(exc)
            return await fallback(key, limit, window_seconds)
        if self._degraded:
            self._degraded = False
            _log.info("rate_limit_redis_recovered")
        return RateLimitDecision(
            allowed=bool(allowed),
            limit=limit,
            remaining=max(limit - count, 0),
            retry_after=max(retry_us, 0) / _MICROS,
            reset_after=max(reset_us, 0) / _MICROS,
        )

    async def close(self) -> None:
        """Drop the fallback's state; the Redis client is left to its owner."""
        await self._fallback.close()

    def _record_failure(self, exc: BaseException) -> None:
        now = self._clock()
        self._skip_redis_until = now + self._retry_interval
        if not self._degraded or now - self._last_warning >= _WARN_INTERVAL_SECONDS:
            _log.warning(
                "rate_limit_redis_unavailable",
                error=type(exc).__name__,
                detail=str(exc),
                fallback="memory",
            )
            self._last_warning = now
        self._degraded = True
        if self._on_error is not None:
            self._on_error()
