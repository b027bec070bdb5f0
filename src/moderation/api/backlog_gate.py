import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from moderation.domain.models import BacklogLimits
from moderation.domain.services import Transactions

# The counts are queries: each is re-read at most this often per process.
BACKLOG_CHECK_SECONDS = 1.0
_LIMIT = 10_000


@dataclass
class _PendingCount:
    count: int
    expires: float


class BacklogGate:
    """Admission against the auto-moderation backlog: 503 + Retry-After when it is over its
    bound; 429 + Retry-After when the caller's tenant holds its whole share of it
    (`tenant_backlog_share`), so that one tenant's flood does not turn every other tenant away.

    Between re-reads it adds the items it admitted itself, so a burst inside that second cannot
    overshoot."""

    def __init__(
        self,
        transactions: Transactions,
        limits: BacklogLimits,
        *,
        on_total: Callable[[int], None] | None = None,
    ) -> None:
        self._transactions = transactions
        self._limits = limits
        self._on_total = on_total
        self._counts: dict[UUID | None, _PendingCount] = {}

    async def check(self, tenant_id: UUID) -> None:
        if self._limits.total <= 0:
            return
        total, tenant = await self._pending(tenant_id)
        self._limits.check(total.count, tenant.count)
        total.count += 1
        tenant.count += 1

    async def _pending(self, tenant_id: UUID) -> tuple[_PendingCount, _PendingCount]:
        now = time.monotonic()
        if len(self._counts) >= _LIMIT:
            self._counts.clear()
        total, tenant = self._counts.get(None), self._counts.get(tenant_id)
        if (
            total is not None
            and total.expires > now
            and tenant is not None
            and tenant.expires > now
        ):
            return total, tenant
        async with self._transactions.transaction(write=False) as repos:
            if total is None or total.expires <= now:
                total = _PendingCount(
                    await repos.content.pending_count(), now + BACKLOG_CHECK_SECONDS
                )
                self._counts[None] = total
                if self._on_total is not None:
                    self._on_total(total.count)
            if tenant is None or tenant.expires <= now:
                count = await repos.content.pending_count(tenant_id)
                tenant = _PendingCount(count, now + BACKLOG_CHECK_SECONDS)
                self._counts[tenant_id] = tenant
        return total, tenant
