from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from moderation.domain.models import DomainEvent


class EventEnvelope(BaseModel):
    """A domain event as it goes over the wire (broker message body, webhook body).

    Its JSON is what `schemas/<event_type>.v<version>.json` describes; consumers dedupe on
    `event_id`, because delivery is at least once.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: UUID
    event_type: str
    version: int = Field(ge=1)
    tenant_id: UUID
    aggregate_id: UUID
    occurred_at: AwareDatetime
    payload: dict[str, Any]

    @classmethod
    def from_event(cls, event: DomainEvent) -> "EventEnvelope":
        return cls(
            event_id=event.event_id,
            event_type=event.event_type,
            version=event.version,
            tenant_id=event.tenant_id,
            aggregate_id=event.aggregate_id,
            occurred_at=event.occurred_at,
            payload=event.payload,
        )

    def to_json(self) -> bytes:
        """The UTF-8 JSON body, fields in the documented order."""
        return self.model_dump_json().encode()
