"""The published form of domain events: a versioned envelope and one JSON Schema per event."""

from moderation.domain.events.event_envelope import EventEnvelope
from moderation.domain.events.event_schemas import EVENT_TYPES, event_schema, schema_file_name

__all__ = ["EVENT_TYPES", "EventEnvelope", "event_schema", "schema_file_name"]
