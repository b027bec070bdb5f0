import time
from uuid import UUID
from weakref import WeakSet

from moderation.domain.policy import TenantPolicy
from moderation.domain.services import ServiceSet, Transactions

# Reading the policy version is a query per request; a second of staleness is harmless because
# every decision records the version it actually used, and a policy change made in this process
# drops its entry at once (other replicas follow within this many seconds).
POLICY_CACHE_SECONDS = 1.0
_LIMIT = 10_000
_live: "WeakSet[PolicyCache]" = WeakSet()


class PolicyCache:
    """Each tenant's policy in force, remembered per process for `POLICY_CACHE_SECONDS`."""

    def __init__(self, transactions: Transactions, *, seconds: float = POLICY_CACHE_SECONDS):
        self._transactions = transactions
        self._seconds = seconds
        self._entries: dict[UUID, tuple[TenantPolicy, float]] = {}
        _live.add(self)

    async def current(self, tenant_id: UUID) -> TenantPolicy:
        now = time.monotonic()
        entry = self._entries.get(tenant_id)
        if entry is not None and entry[1] > now:
            return entry[0]
        async with self._transactions.transaction(write=False) as repos:
            current = await ServiceSet(repos).policies.current(tenant_id)
        if len(self._entries) >= _LIMIT:
            self._entries.clear()
        self._entries[tenant_id] = (current, now + self._seconds)
        return current

    def forget(self, tenant_id: UUID) -> None:
        """The tenant's policy changed: stop serving the cached version."""
        self._entries.pop(tenant_id, None)

    def clear(self) -> None:
        self._entries.clear()


def forget_all_policies() -> None:
    """Drop every process cache's remembered policies (tests)."""
    for cache in list(_live):
        cache.clear()
