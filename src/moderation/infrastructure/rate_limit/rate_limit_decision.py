from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateLimitDecision:
    """The outcome of counting one request against a limit.

    ``retry_after`` is how long a refused caller must wait before one more request fits (0 when
    allowed); ``reset_after`` is how long until every request now counted has left the window,
    i.e. until the full ``limit`` is available again.
    """

    allowed: bool
    limit: int
    remaining: int
    retry_after: float
    reset_after: float
