"""Keeps a Redis-backed helper off Redis for a while after a failure."""

import time
from collections.abc import Callable

import structlog

_log = structlog.get_logger(__name__)

# While Redis is down, one warning per this many seconds is enough to be seen without flooding.
_WARN_INTERVAL_SECONDS = 30.0


class RedisBreaker:
    """A circuit breaker for one Redis user (a cache): after a failure it stays open for
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
        self._retry_interval = retry_interval_seconds
        self._on_error = on_error
        self._clock = clock
        self._closed_at = float("-inf")
        self._last_warning = float("-inf")

    @property
    def is_open(self) -> bool:
        """Whether Redis should be left alone now."""
        return self._clock() < self._closed_at

    def failed(self, operation: str) -> None:
        """Record a failed Redis call (from inside its `except`, for the traceback)."""
        now = self._clock()
        self._closed_at = now + self._retry_interval
        if self._on_error is not None:
            self._on_error()
        if now - self._last_warning >= _WARN_INTERVAL_SECONDS:
            self._last_warning = now
            _log.warning(self._event, operation=operation, exc_info=True)
