"""Getting events out: the outbox relay and the broker sink it publishes through."""

from moderation.infrastructure.messaging.nats_event_sink import NatsEventSink
from moderation.infrastructure.messaging.outbox_relay import OutboxRelay

__all__ = ["NatsEventSink", "OutboxRelay"]
