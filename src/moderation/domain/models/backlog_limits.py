import math
from dataclasses import dataclass
from typing import ClassVar

from moderation.core.exceptions import RateLimitedError, ServiceUnavailableError


@dataclass(frozen=True)
class BacklogLimits:
    """How many items may wait for the engine: all tenants together, and any one tenant.

    The tenant bound is a share of the global one, so one tenant's burst (an import, a flood of
    posts) fills its own share and is turned away while the other tenants still add content; the
    global bound protects the service when many tenants are busy at once. 0 means no bound.
    """

    total: int
    per_tenant: int

    # Draining a backlog takes a while: an earlier retry would only be refused again.
    RETRY_AFTER_SECONDS: ClassVar[int] = 30

    @classmethod
    def of(cls, max_pending: int, tenant_share: float) -> "BacklogLimits":
        """The limits for a global bound (0: none) and a tenant's share of it (0 < share ≤ 1)."""
        if max_pending <= 0:
            return cls(total=0, per_tenant=0)
        return cls(total=max_pending, per_tenant=max(1, math.floor(max_pending * tenant_share)))

    def room(self, total_pending: int, tenant_pending: int) -> int | None:
        """How many more items the tenant may add now (0 when full); None when unbounded."""
        rooms = [
            limit - pending
            for limit, pending in ((self.total, total_pending), (self.per_tenant, tenant_pending))
            if limit > 0
        ]
        return max(0, min(rooms)) if rooms else None

    def check(self, total_pending: int, tenant_pending: int) -> None:
        """Refuse one more item once a bound is reached: 503 for the global bound (the service
        is overloaded), 429 for the tenant's share (this tenant is sending too much)."""
        if self.total > 0 and total_pending >= self.total:
            raise ServiceUnavailableError(
                f"{total_pending} items are waiting for moderation (limit {self.total}); "
                "retry later",
                retry_after=self.RETRY_AFTER_SECONDS,
            )
        if self.per_tenant > 0 and tenant_pending >= self.per_tenant:
            raise RateLimitedError(
                f"{tenant_pending} of this tenant's items are waiting for moderation (its "
                f"share of the backlog is {self.per_tenant}); retry later",
                retry_after=self.RETRY_AFTER_SECONDS,
                extra={"limit": "tenant_backlog", "tenant_backlog_limit": self.per_tenant},
            )
