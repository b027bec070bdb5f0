import uuid
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

    @classmethod
    def about(
        cls,
        event_type: str,
        tenant_id: UUID,
        aggregate_id: UUID,
        at: datetime,
        payload: dict[str, Any],
    ) -> "DomainEvent":
        """A new event (fresh id) of `event_type` on `aggregate_id`, as it happened at `at`."""
        return cls(
            event_id=uuid.uuid4(),
            event_type=event_type,
            tenant_id=tenant_id,
            aggregate_id=aggregate_id,
            occurred_at=at,
            payload=payload,
        )
