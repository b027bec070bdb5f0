from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.appeal_status import AppealStatus
from moderation.domain.models.moderation_status import ModerationStatus


class ContentAppeal(BaseModel):
    """An author's appeal against the rejection of their item. One open appeal per item; it
    must be decided by someone other than `appealed_actor`, who made the contested decision."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    tenant_id: UUID
    content_id: UUID
    author_id: str = Field(min_length=1, max_length=128)
    statement: str = Field(min_length=1, max_length=5000)
    appealed_status: ModerationStatus
    appealed_actor: str
    status: AppealStatus = AppealStatus.OPEN
    created_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    decision_notes: str | None = None
