from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import TransparencyReport


class TransparencyRepository(Protocol):
    """The figures of a transparency report, computed from the stored history."""

    async def report(self, tenant_id: UUID, start: datetime, end: datetime) -> TransparencyReport:
        """The tenant's figures over [start, end)."""
        ...
