from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.webhook_delivery_status import WebhookDeliveryStatus


class WebhookDelivery(BaseModel):
    """One event on its way to one endpoint, with the outcome of the latest attempt.

    At most one exists per (endpoint, event): an event relayed twice is delivered once.
    """

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: UUID
    endpoint_id: UUID
    tenant_id: UUID
    event_id: UUID
    event_type: str
    payload: dict[str, Any]
    status: WebhookDeliveryStatus
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    created_at: datetime
    delivered_at: datetime | None = None
    # The event's trace (a W3C traceparent, opaque here), which each attempt continues. Never
    # shown in the delivery log nor sent to the receiver.
    trace_parent: str | None = Field(default=None, exclude=True, repr=False)
