import time
from collections.abc import Callable


class CircuitBreaker:
    """The one circuit breaker (Redis caches, the task broker, each webhook endpoint): after
    `threshold` consecutive failures it is open for `cooldown_seconds`, so that a dependency that
    is down does not cost every caller a timeout; then the next call is a trial, whose failure
    opens it again at once and whose success closes it.

    Times are the `clock`'s (monotonic by default); a caller that works in another clock's
    seconds (a wall-clock timestamp) passes its own `now`."""

    def __init__(
        self,
        cooldown_seconds: float,
        *,
        threshold: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if threshold < 1:
            raise ValueError("a breaker opens after at least one failure")
        self._cooldown = cooldown_seconds
        self._threshold = threshold
        self._clock = clock
        self.failures = 0
        self.open_until = float("-inf")

    def is_open(self, now: float | None = None) -> bool:
        """Whether calls should be left undone now."""
        return (self._clock() if now is None else now) < self.open_until

    def succeeded(self) -> None:
        self.failures = 0
        self.open_until = float("-inf")

    def failed(self, now: float | None = None) -> bool:
        """Count a failure; True when it (re)opened the breaker."""
        self.failures += 1
        if self.failures < self._threshold:
            return False
        self.open_until = (self._clock() if now is None else now) + self._cooldown
        return True
