from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class DomainEvent(BaseModel):
    """Something that happened, recorded in the same transaction as the change (outbox)."""

    model_config = ConfigDict(frozen=True)

    event_id: UUID
    event_type: str = Field(description="ContentCreated, ContentModerated, ContentDecided, …")
    tenant_id: UUID
    aggregate_id: UUID
    occurred_at: datetime
    version: int = 1
    payload: dict[str, Any] = Field(default_factory=dict)
