from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import DomainEvent


class EventSink(Protocol):
    """Where relayed outbox events go (a broker topic, webhook deliveries, …).

    Called inside the relay's transaction; a sink that raises makes the batch retry later, so
    every sink must tolerate seeing an event twice (dedupe by `event_id`).
    """

    async def publish(self, session: AsyncSession, events: list[DomainEvent]) -> None: ...
