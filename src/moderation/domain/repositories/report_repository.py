from datetime import datetime
from typing import Protocol
from uuid import UUID

from moderation.domain.models import ContentReport, ReportStatus


class ReportRepository(Protocol):
    """Users' reports on content, scoped by tenant."""

    async def add_open(self, report: ContentReport) -> tuple[ContentReport, bool]:
        """Store `report` unless its reporter already has an open report on the item (also
        under a concurrent insert); returns the open report and whether it is new."""
        ...

    async def list_for_content(self, tenant_id: UUID, content_id: UUID) -> list[ContentReport]:
        """Every report on the item, newest first."""
        ...

    async def resolve_open(
        self, tenant_id: UUID, content_id: UUID, status: ReportStatus, by: str, at: datetime
    ) -> int:
        """Close the item's open reports with `status`; returns how many were open."""
        ...
