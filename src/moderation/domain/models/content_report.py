from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.report_reason import ReportReason
from moderation.domain.models.report_status import ReportStatus


class ContentReport(BaseModel):
    """A user's report on an item. One open report per reporter and item: a repeat returns it.
    It stays open until a reviewer approves or rejects the item."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    tenant_id: UUID
    content_id: UUID
    reporter_id: str = Field(min_length=1, max_length=128)
    reason: ReportReason
    details: str | None = Field(default=None, max_length=2000)
    status: ReportStatus = ReportStatus.OPEN
    created_at: datetime
    resolved_at: datetime | None = None
    resolved_by: str | None = None
