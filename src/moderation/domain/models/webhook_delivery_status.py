from enum import StrEnum


class WebhookDeliveryStatus(StrEnum):
    """Where one event stands with one endpoint.

    `pending`: not attempted yet. `failed`: the latest attempt failed and another is scheduled
    (`next_attempt_at`). `delivered`: the endpoint answered 2xx. `dead`: attempts kept failing
    for the whole retry window; no more are made.
    """

    PENDING = "pending"
    FAILED = "failed"
    DELIVERED = "delivered"
    DEAD = "dead"

    @property
    def retryable(self) -> bool:
        """True while the deliverer still owes this delivery an attempt."""
        return self in (WebhookDeliveryStatus.PENDING, WebhookDeliveryStatus.FAILED)
