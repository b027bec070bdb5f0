"""Keeps a Redis-backed helper off Redis for a while after a failure."""

import time
from collections.abc import Callable

import structlog

from moderation.core.circuit_breaker import CircuitBreaker

_log = structlog.get_logger(__name__)

# While Redis is down, one warning per this many seconds is enough to be seen without flooding.
_WARN_INTERVAL_SECONDS = 30.0


class RedisBreaker:
    """The `CircuitBreaker` of one Redis user (a cache), with its reporting: after a failure it
    stays open for
    ``retry_interval_seconds``, so that an outage does not add a timeout to every request,
    then lets the next call try again. Each failure calls ``on_error`` (a metric) and logs
    ``<name>.redis_failed`` at most once per 30 s."""

    def __init__(
        self,
        name: str,
        *,
        retry_interval_seconds: float,
        on_error: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._event = f"{name}.redis_failed"
        self._breaker = CircuitBreaker(retry_interval_seconds, clock=clock)
        self._on_error = on_error
        self._clock = clock
        self._last_warning = float("-inf")

    @property
    def is_open(self) -> bool:
        """Whether Redis should be left alone now."""
        return self._breaker.is_open()

    def failed(self, operation: str) -> None:
        """Record a failed Redis call (from inside its `except`, for the traceback)."""
        now = self._clock()
        self._breaker.failed(now)
        if self._on_error is not None:
            self._on_error()
        if now - self._last_warning >= _WARN_INTERVAL_SECONDS:
            self._last_warning = now
            _log.warning(self._event, operation=operation, exc_info=True)
