from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import DomainEvent


class EventRepository(Protocol):
    """The outbox: events are stored with the change that caused them, and read back by the
    relay that publishes them."""

    async def add(self, event: DomainEvent) -> None: ...
    async def add_many(self, events: Sequence[DomainEvent]) -> None: ...
    async def claim_unpublished(self, limit: int) -> list[DomainEvent]:
        """The oldest unpublished events, locked against other relays until commit."""
        ...

    async def has_unpublished(self) -> bool: ...
    async def unpublished_count(self) -> int: ...
    async def mark_published(self, event_ids: Sequence[UUID], at: datetime) -> None: ...
    async def delete_published_before(self, before: datetime, limit: int) -> int:
        """Delete up to `limit` events published before `before` (never an unpublished one);
        returns how many went."""
        ...
