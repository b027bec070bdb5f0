import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from uuid import UUID


class DeliverySlots:
    """How many webhook requests one deliverer has in flight: in all, per tenant, per endpoint.

    A delivery is *assigned* from its claim until its result is recorded; it *runs* (holds an
    endpoint and a tenant slot) only while its request is made. Tenants and endpoints whose
    assigned deliveries fill their cap are left out of further claims until some finish: their
    backlog stays in the database while other tenants' deliveries go out.
    """

    def __init__(self, total: int, per_tenant: int, per_endpoint: int) -> None:
        if min(total, per_tenant, per_endpoint) < 1:
            raise ValueError("every concurrency cap is at least 1")
        self.total = total
        self.per_tenant = per_tenant
        self.per_endpoint = per_endpoint
        self._tenants: Counter[UUID] = Counter()
        self._endpoints: Counter[UUID] = Counter()
        self._tenant_gates: dict[UUID, asyncio.Semaphore] = {}
        self._endpoint_gates: dict[UUID, asyncio.Semaphore] = {}
        self._gate = asyncio.Semaphore(total)

    @property
    def assigned(self) -> int:
        return self._tenants.total()

    @property
    def free(self) -> int:
        """How many more deliveries may be claimed now."""
        return max(self.total - self.assigned, 0)

    def full_tenants(self) -> list[UUID]:
        return [tenant for tenant, count in self._tenants.items() if count >= self.per_tenant]

    def full_endpoints(self) -> list[UUID]:
        return [key for key, count in self._endpoints.items() if count >= self.per_endpoint]

    def assign(self, tenant_id: UUID, endpoint_id: UUID) -> None:
        self._tenants[tenant_id] += 1
        self._endpoints[endpoint_id] += 1

    def release(self, tenant_id: UUID, endpoint_id: UUID) -> None:
        # A gate is dropped with its last assigned delivery (nobody holds or awaits it then).
        for counts, gates, key in (
            (self._tenants, self._tenant_gates, tenant_id),
            (self._endpoints, self._endpoint_gates, endpoint_id),
        ):
            counts[key] -= 1
            if counts[key] <= 0:
                del counts[key]
                gates.pop(key, None)

    @contextlib.asynccontextmanager
    async def running(self, tenant_id: UUID, endpoint_id: UUID) -> AsyncIterator[None]:
        """Hold an endpoint slot, a tenant slot, then one of the total (always in this order:
        no deadlock), for one request of an assigned delivery."""
        endpoint_gate = self._endpoint_gates.setdefault(
            endpoint_id, asyncio.Semaphore(self.per_endpoint)
        )
        tenant_gate = self._tenant_gates.setdefault(tenant_id, asyncio.Semaphore(self.per_tenant))
        async with endpoint_gate, tenant_gate, self._gate:
            yield
