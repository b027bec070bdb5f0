from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

WEBHOOK_EXAMPLE: dict[str, Any] = {
    "id": "5b0e7c7e-9d0c-4c1e-8a55-0f7b1c9a3e21",
    "url": "https://hooks.example.com/monocto",
    "event_types": ["ContentModerated", "ContentDecided"],
    "active": True,
    "description": "Hide rejected comments in the forum",
    "created_at": "2026-11-24T09:30:00Z",
}


class WebhookResponse(BaseModel):
    """A registered endpoint (its secret is never shown again after creation)."""

    model_config = ConfigDict(json_schema_extra={"examples": [WEBHOOK_EXAMPLE]})

    id: UUID
    url: str
    event_types: list[str]
    active: bool
    description: str
    created_at: datetime
