from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.domain.models import WebhookDeliveryStatus

DELIVERY_EXAMPLE: dict[str, Any] = {
    "id": "0c3c6a52-4a4e-4f0b-9d55-2f1f0a6c7d10",
    "event_id": "9a1f3b0e-2c4d-4e5f-8a9b-0c1d2e3f4a5b",
    "event_type": "ContentModerated",
    "status": "failed",
    "attempts": 2,
    "next_attempt_at": "2026-11-24T09:32:10Z",
    "last_status_code": 503,
    "last_error": "HTTP 503",
    "created_at": "2026-11-24T09:30:00Z",
    "delivered_at": None,
    "payload": {
        "event_id": "9a1f3b0e-2c4d-4e5f-8a9b-0c1d2e3f4a5b",
        "event_type": "ContentModerated",
        "tenant_id": "3d6f0a4e-1b2c-4d5e-9f01-23456789abcd",
        "aggregate_id": "7e8f9a0b-1c2d-4e3f-a4b5-c6d7e8f9a0b1",
        "occurred_at": "2026-11-24T09:30:00Z",
        "version": 1,
        "payload": {"status": "rejected"},
    },
}


class WebhookDeliveryResponse(BaseModel):
    """One event sent (or being sent) to the endpoint, with its latest attempt."""

    model_config = ConfigDict(json_schema_extra={"examples": [DELIVERY_EXAMPLE]})

    id: UUID
    event_id: UUID
    event_type: str
    status: WebhookDeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]
