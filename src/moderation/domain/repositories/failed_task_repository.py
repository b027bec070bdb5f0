from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import FailedTask


class FailedTaskRepository(Protocol):
    """The dead-letter table."""

    async def add(self, task: FailedTask) -> bool:
        """Record a dead letter; False (and no change) when one with its id exists."""
        ...

    async def get(self, task_id: UUID) -> FailedTask | None: ...
    async def recent(self, *, limit: int, include_replayed: bool) -> list[FailedTask]:
        """Newest first."""
        ...

    async def mark_replayed(self, task_id: UUID, now: datetime) -> None: ...
