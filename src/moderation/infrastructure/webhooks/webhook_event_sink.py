import uuid
from collections import defaultdict
from datetime import UTC, datetime
from uuid import UUID

from moderation.domain.models import (
    DomainEvent,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)
from moderation.domain.repositories import RepositorySet


class WebhookEventSink:
    """Turns relayed events into pending deliveries, one per subscribed endpoint of the tenant.

    Runs inside the outbox relay's transaction, so deliveries exist exactly when the relay's batch
    commits. Relaying an event again adds nothing: a delivery is unique per (endpoint, event).
    The HTTP requests themselves are the `WebhookDeliverer`'s job.
    """

    async def publish(self, repos: RepositorySet, events: list[DomainEvent]) -> None:
        if not events:
            return
        endpoints = await repos.webhook_endpoints.active_for_tenants(
            {event.tenant_id for event in events}
        )
        by_tenant: dict[UUID, list[WebhookEndpoint]] = defaultdict(list)
        for endpoint in endpoints:
            by_tenant[endpoint.tenant_id].append(endpoint)
        now = datetime.now(UTC)
        deliveries = [
            _delivery(endpoint, event, now)
            for event in events
            for endpoint in by_tenant.get(event.tenant_id, [])
            if endpoint.accepts(event.event_type)
        ]
        if not deliveries:
            return
        # New deliveries wake the delivery worker once the relay's batch commits (an effect
        # the repository notes), so they go out now rather than at its next poll.
        await repos.webhook_deliveries.add_missing(deliveries)


def _delivery(endpoint: WebhookEndpoint, event: DomainEvent, now: datetime) -> WebhookDelivery:
    return WebhookDelivery(
        id=uuid.uuid4(),
        endpoint_id=endpoint.id,
        tenant_id=event.tenant_id,
        event_id=event.event_id,
        event_type=event.event_type,
        # The body sent is the event as a whole, the same document the broker topic carries.
        payload=event.model_dump(mode="json"),
        status=WebhookDeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        trace_parent=event.trace_parent,
    )
