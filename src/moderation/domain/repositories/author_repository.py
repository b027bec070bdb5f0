from typing import Protocol
from uuid import UUID

from moderation.domain.models import AuthorHistory


class AuthorRepository(Protocol):
    """Per-author aggregates over a tenant's content, reports and appeals."""

    async def history(self, tenant_id: UUID, author_id: str, *, recent: int) -> AuthorHistory:
        """The author's history, with their `recent` newest items (an author with no items
        gets all zeros)."""
        ...
