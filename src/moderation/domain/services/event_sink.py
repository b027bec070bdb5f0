from typing import Protocol

from moderation.domain.models import DomainEvent
from moderation.domain.repositories import RepositorySet


class EventSink(Protocol):
    """Where relayed outbox events go (a broker topic, webhook deliveries, …).

    Called inside the relay's transaction (whose repositories it is handed); a sink that raises
    makes the batch retry later, so every sink must tolerate seeing an event twice (dedupe by
    `event_id`).
    """

    async def publish(self, repos: RepositorySet, events: list[DomainEvent]) -> None: ...
