from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.moderation_status import ModerationStatus
from moderation.ml.vocabulary.moderation_reason import ModerationReason

DecisionSource = Literal["engine", "human"]


class AuditEntry(BaseModel):
    """One decision on one item, engine or human; the log of these is append-only."""

    model_config = ConfigDict(from_attributes=True, frozen=True, protected_namespaces=())

    id: UUID
    tenant_id: UUID
    content_id: UUID
    source: DecisionSource
    actor: str
    status: ModerationStatus
    score: float | None = None
    confidence: float | None = None
    reasons: list[ModerationReason] = Field(default_factory=list)
    scores: dict[str, float] = Field(default_factory=dict)
    spans: list[dict[str, Any]] = Field(default_factory=list)
    language: str | None = None
    model_version: str | None = None
    policy_version: int | None = None
    notes: str | None = None
    processing_time_ms: int | None = None
    created_at: datetime
