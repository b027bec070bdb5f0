import uuid
from datetime import UTC, datetime
from uuid import UUID

from moderation.core.exceptions import ConflictError
from moderation.domain.models import DomainEvent, WebhookEventType
from moderation.domain.policy import ModerationPolicy, TenantPolicy
from moderation.domain.repositories import EventRepository, PolicyRepository

DEFAULT_POLICY = ModerationPolicy()


class PolicyService:
    """Versioned tenant policies. Version 0 is the built-in default: the seed's 0.3 / 0.7."""

    def __init__(self, policies: PolicyRepository, events: EventRepository) -> None:
        self._policies = policies
        self._events = events

    async def current(self, tenant_id: UUID) -> TenantPolicy:
        stored = await self._policies.latest(tenant_id)
        return stored or TenantPolicy(tenant_id=tenant_id, version=0, policy=DEFAULT_POLICY)

    async def replace(
        self,
        tenant_id: UUID,
        policy: ModerationPolicy,
        actor: str,
        *,
        expected_version: int | None = None,
    ) -> TenantPolicy:
        """Store `policy` as the next version; `expected_version` guards lost updates."""
        current = await self.current(tenant_id)
        if expected_version is not None and expected_version != current.version:
            raise ConflictError(
                f"policy is at version {current.version}, not {expected_version}",
                extra={"current_version": current.version},
            )
        now = datetime.now(UTC)
        updated = TenantPolicy(
            tenant_id=tenant_id,
            version=current.version + 1,
            policy=policy,
            created_at=now,
            created_by=actor,
        )
        await self._policies.add(updated)
        await self._events.add(
            DomainEvent(
                event_id=uuid.uuid4(),
                event_type=WebhookEventType.POLICY_CHANGED.value,
                tenant_id=tenant_id,
                aggregate_id=tenant_id,
                occurred_at=now,
                payload={"version": updated.version, "actor": actor},
            )
        )
        return updated
