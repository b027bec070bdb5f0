"""The Redis client every process part shares (rate limits, caches)."""

from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry


def connect_redis(url: str) -> Redis:
    """A client for `url` that fails fast: short timeouts and no client-side retries, so that
    while Redis is down callers fall back at once instead of stalling requests."""
    return Redis.from_url(
        url,
        socket_timeout=0.25,
        socket_connect_timeout=0.25,
        retry=Retry(NoBackoff(), 0),
    )
