from typing import Protocol
from uuid import UUID

from moderation.domain.policy import TenantPolicy


class PolicyRepository(Protocol):
    async def latest(self, tenant_id: UUID) -> TenantPolicy | None: ...
    async def add(self, policy: TenantPolicy) -> None: ...
