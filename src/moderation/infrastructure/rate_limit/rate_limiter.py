from typing import Protocol

from moderation.infrastructure.rate_limit.rate_limit_decision import RateLimitDecision


class RateLimiter(Protocol):
    """Counts requests per key in a sliding window."""

    async def hit(self, key: str, limit: int, window_seconds: float = 60.0) -> RateLimitDecision:
        """Count one request for ``key`` if it fits ``limit`` per ``window_seconds``.

        A refused request is not counted, so a client hammering a closed limit does not push its
        own reopening further away.
        """
        ...

    async def peek(self, key: str, limit: int, window_seconds: float = 60.0) -> RateLimitDecision:
        """Tell whether one more request for ``key`` would fit, counting nothing.

        For limits on outcomes known only afterwards (failed logins): check first, `hit` once
        the outcome is known.
        """
        ...

    async def close(self) -> None:
        """Release what the limiter holds."""
        ...
