from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from moderation.domain.models.webhook_delivery_status import WebhookDeliveryStatus


@dataclass(frozen=True)
class WebhookAttempt:
    """The outcome of one attempt (or a deferral) to record on a delivery."""

    delivery_id: UUID
    status: WebhookDeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    status_code: int | None
    error: str | None
    delivered_at: datetime | None
