from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.domain.models import AppealStatus, ModerationStatus

APPEAL_EXAMPLE: dict[str, Any] = {
    "id": "8d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6",
    "content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
    "author_id": "user-77",
    "statement": "I was quoting the insult to report it.",
    "appealed_status": "rejected",
    "appealed_actor": "key:d68e8143-62ca-4551-bbee-6598721b695b",
    "status": "open",
    "created_at": "2026-12-04T10:30:00Z",
    "decided_at": None,
    "decided_by": None,
    "decision_notes": None,
}


class AppealResponse(BaseModel):
    """An appeal and where it stands."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [APPEAL_EXAMPLE]}
    )

    id: UUID
    content_id: UUID
    author_id: str
    statement: str
    appealed_status: ModerationStatus
    appealed_actor: str
    status: AppealStatus
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    decision_notes: str | None
