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
    # The trace of what caused it (a W3C traceparent, opaque here), which its deliveries
    # continue. Not part of the event a consumer receives: excluded from every dump.
    trace_parent: str | None = Field(default=None, exclude=True, repr=False)
