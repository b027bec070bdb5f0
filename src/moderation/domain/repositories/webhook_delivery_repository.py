from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import (
    Page,
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)


class WebhookDeliveryRepository(Protocol):
    """The delivery log: one row per (endpoint, event), doubling as the delivery queue."""

    async def add_missing(self, deliveries: list[WebhookDelivery]) -> int:
        """Insert the deliveries whose (endpoint, event) pair is new; returns how many were."""
        ...

    async def page_for_endpoint(
        self,
        endpoint_id: UUID,
        *,
        status: WebhookDeliveryStatus | None,
        page: int,
        size: int,
    ) -> Page[WebhookDelivery]: ...

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        lease_until: datetime,
        *,
        exclude_tenants: Collection[UUID] = (),
        exclude_endpoints: Collection[UUID] = (),
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
        """Lease up to `limit` due deliveries of active endpoints until `lease_until`, taking
        the tenants in turn (each one's oldest first), none of the excluded ones."""
        ...

    async def record_attempts(self, attempts: Sequence[WebhookAttempt]) -> None:
        """Record outcomes on deliveries still owed an attempt (one statement for all)."""
        ...

    async def get(self, delivery_id: UUID) -> WebhookDelivery | None: ...
