from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.domain.models import ReportReason, ReportStatus

REPORT_EXAMPLE: dict[str, Any] = {
    "id": "6c0f7b0e-52a4-4d4b-9d8e-2f3f0b2c1a77",
    "content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
    "reporter_id": "user-5521",
    "reason": "harassment",
    "dsa_category": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "details": "keeps replying to me with insults",
    "status": "open",
    "created_at": "2026-12-04T10:00:00Z",
    "resolved_at": None,
    "resolved_by": None,
}


class ReportResponse(BaseModel):
    """A report and where it stands (`open` until a reviewer approves or rejects the item)."""

    model_config = ConfigDict(json_schema_extra={"examples": [REPORT_EXAMPLE]})

    id: UUID
    content_id: UUID
    reporter_id: str
    reason: ReportReason
    dsa_category: str
    details: str | None
    status: ReportStatus
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
