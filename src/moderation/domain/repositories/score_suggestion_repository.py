from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import ScoreSuggestion


class ScoreSuggestionRepository(Protocol):
    """Suggested scores, tenant-scoped; read back oldest first for export."""

    async def add(self, suggestion: ScoreSuggestion) -> None: ...

    async def page(
        self, tenant_id: UUID, *, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[ScoreSuggestion]:
        """Up to `limit` of the tenant's suggestions after the (created_at, id) `after`, in
        that order: a keyset page, stable while new suggestions arrive."""
        ...
