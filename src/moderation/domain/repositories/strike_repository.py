from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import AuthorAction


class StrikeRepository(Protocol):
    """Strikes against authors (one per rejected item and reason) and recommended actions."""

    async def add(
        self, tenant_id: UUID, author_id: str, content_id: UUID, reasons: list[str], at: datetime
    ) -> list[str]:
        """Give the item's author a strike for each reason it has none active for yet; returns
        the reasons that got one."""
        ...

    async def remove_for_content(
        self, tenant_id: UUID, content_id: UUID, at: datetime, by: str
    ) -> int:
        """Remove the item's active strikes (kept, marked removed); how many."""
        ...

    async def active(
        self, tenant_id: UUID, author_id: str, reason: str, since: datetime
    ) -> list[UUID]:
        """Items behind the author's active strikes for `reason` given since `since`, oldest
        first."""
        ...

    async def counts(self, tenant_id: UUID, author_id: str) -> dict[str, int]:
        """The author's active strikes per reason, ever."""
        ...

    async def add_action(self, action: AuthorAction) -> None: ...

    async def actions(self, tenant_id: UUID, author_id: str, limit: int) -> list[AuthorAction]:
        """Recommended actions, newest first."""
        ...
