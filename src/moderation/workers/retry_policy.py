from dataclasses import dataclass

from moderation.core.backoff import Backoff
from moderation.core.config import Settings


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and full jitter (the same rule Celery applies
    with `retry_backoff` + `retry_jitter`, so both queues behave alike)."""

    max_retries: int = 5
    backoff_seconds: float = 2.0
    backoff_max_seconds: float = 300.0
    jitter: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> "RetryPolicy":
        return cls(
            max_retries=settings.task_max_retries,
            backoff_seconds=float(settings.task_retry_backoff_seconds),
            backoff_max_seconds=float(settings.task_retry_backoff_max_seconds),
        )

    def delay(self, retries: int) -> float:
        """Seconds to wait before retry number `retries + 1`."""
        # Full jitter spreads the retries of many failed tasks instead of bunching them.
        jitter = 1.0 if self.jitter else 0.0
        return Backoff(self.backoff_seconds, self.backoff_max_seconds, jitter).delay(retries)
