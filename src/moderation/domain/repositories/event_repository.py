from collections.abc import Sequence
from typing import Protocol

from moderation.domain.models import DomainEvent


class EventRepository(Protocol):
    """The outbox: events are stored with the change that caused them."""

    async def add(self, event: DomainEvent) -> None: ...
    async def add_many(self, events: Sequence[DomainEvent]) -> None: ...
