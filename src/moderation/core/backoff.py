import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter, the one rule behind every retry here (tasks, deferred
    content, the outbox relay, webhook deliveries).

    The n-th retry (from 0) waits ``base_seconds * 2**n``, at most `max_seconds`, shortened by a
    random part of up to `jitter` of itself (0: none; 1: "full jitter", anywhere from nothing to
    the whole delay) so that work which failed together does not all retry at one instant.
    """

    base_seconds: float
    max_seconds: float
    jitter: float = 0.5
    # Past this the ceiling is `max_seconds` anyway; bounding it keeps 2**n a small float.
    max_exponent: int = 32

    def __post_init__(self) -> None:
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter is a fraction in [0, 1]")

    def ceiling(self, retries: int) -> float:
        """The delay before retry number `retries + 1`, without jitter."""
        exponent = min(max(retries, 0), self.max_exponent)
        return min(self.max_seconds, self.base_seconds * 2.0**exponent)

    def delay(self, retries: int) -> float:
        """Seconds to wait before retry number `retries + 1`."""
        return self.ceiling(retries) * (1.0 - self.jitter * random.random())  # noqa: S311 - jitter, not security
