import ipaddress
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import Request

from moderation.core.exceptions import RateLimitedError

if TYPE_CHECKING:
    from moderation.infrastructure.rate_limit import RateLimiter

# One IPv6 client is given a whole /64 by its provider; counting per address would give it 2^64
# fresh budgets.
_IPV6_CLIENT_PREFIX = 64
_WINDOW_SECONDS = 60.0


class FailedAuthThrottle:
    """Counts failed authentications per client address and stops an address over its budget.

    `check` runs before a credential is verified: once an address has failed ``limit`` times in
    the last minute, each further credential from it that needs verifying is refused with 429
    without being looked at (no database query, and no answer that tells a right guess from a
    wrong one) until enough failures leave the window. `record_failure` runs after a credential
    was refused. Other addresses, and successful verifications, are never counted.
    """

    def __init__(
        self,
        limiter: "RateLimiter",
        limit: int,
        on_refused: Callable[[], None] | None = None,
    ) -> None:
        self._limiter = limiter
        self._limit = limit
        self._on_refused = on_refused

    async def check(self, request: Request) -> None:
        """Raise `RateLimitedError` if the caller's address is over its failure budget."""
        decision = await self._limiter.peek(_bucket(request), self._limit, _WINDOW_SECONDS)
        if decision.allowed:
            return
        if self._on_refused is not None:
            self._on_refused()
        raise RateLimitedError(
            f"too many failed authentications from this address ({self._limit} per minute)",
            retry_after=decision.retry_after,
            extra={"limit": "authentication", "limit_per_minute": self._limit},
        )

    async def record_failure(self, request: Request) -> None:
        """Count one failed authentication against the caller's address."""
        await self._limiter.hit(_bucket(request), self._limit, _WINDOW_SECONDS)


def _bucket(request: Request) -> str:
    host = request.client.host if request.client is not None else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        # A unix socket, or whatever a trusted proxy forwarded: still one bucket per value.
        return f"authfail:{host[:64]}"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return f"authfail:{address.ipv4_mapped}"
        network = ipaddress.IPv6Network((address, _IPV6_CLIENT_PREFIX), strict=False)
        return f"authfail:{network}"
    return f"authfail:{address}"
