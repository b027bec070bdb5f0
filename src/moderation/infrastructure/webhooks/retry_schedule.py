from dataclasses import dataclass
from datetime import datetime, timedelta

from moderation.core.backoff import Backoff


@dataclass(frozen=True)
class RetrySchedule:
    """When a failed delivery is tried again: exponential backoff with jitter, within a window.

    The n-th failed attempt waits ``base * 2**(n-1)`` seconds (30 s, 1 min, 2 min, … by default),
    at most `max_delay_seconds`, shortened by up to `jitter` of itself so endpoints that failed
    together do not all retry at the same instant. Retries stop `window_seconds` after the
    delivery was created: the last attempt is made at the end of the window, and if it fails the
    delivery is dead.
    """

    base_seconds: float = 30.0
    max_delay_seconds: float = 3600.0
    window_seconds: float = 86_400.0
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.base_seconds <= 0 or self.max_delay_seconds <= 0 or self.window_seconds <= 0:
            raise ValueError("retry delays and window must be positive")
        if not 0.0 <= self.jitter < 1.0:
            raise ValueError("jitter is a fraction in [0, 1)")

    def delay(self, failed_attempts: int) -> float:
        """Seconds to wait after the `failed_attempts`-th failure (1 for the first)."""
        backoff = Backoff(self.base_seconds, self.max_delay_seconds, self.jitter, max_exponent=40)
        return backoff.delay(max(failed_attempts, 1) - 1)

    def deadline(self, created_at: datetime) -> datetime:
        """The end of the retry window of a delivery created at `created_at`."""
        return created_at + timedelta(seconds=self.window_seconds)

    def next_attempt(
        self, created_at: datetime, now: datetime, failed_attempts: int
    ) -> datetime | None:
        """When to try again, or None when the window is over (the delivery is dead)."""
        deadline = self.deadline(created_at)
        if now >= deadline:
            return None
        return min(now + timedelta(seconds=self.delay(failed_attempts)), deadline)
