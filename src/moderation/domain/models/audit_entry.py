import uuid
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.content_item import ContentItem
from moderation.domain.models.moderation_status import ModerationStatus
from moderation.ml.vocabulary.moderation_reason import ModerationReason
from moderation.ml.vocabulary.moderation_result import ModerationResult

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

    @classmethod
    def of_engine_decision(
        cls,
        decided: ContentItem,
        result: ModerationResult,
        *,
        actor: str,
        policy_version: int,
        processing_time_ms: int,
    ) -> "AuditEntry":
        """The entry of the engine's decision `result` on `decided` (the item as decided):
        every category's score, the spans, the model and policy that made it."""
        return cls(
            id=uuid.uuid4(),
            tenant_id=decided.tenant_id,
            content_id=decided.id,
            source="engine",
            actor=actor,
            status=decided.moderation_status,
            score=result.score,
            confidence=result.confidence,
            reasons=list(result.reasons),
            scores={str(k): v for k, v in result.scores.items()},
            spans=[span.model_dump(mode="json") for span in result.spans],
            language=result.language,
            model_version=result.model_version,
            policy_version=policy_version,
            processing_time_ms=processing_time_ms,
            created_at=decided.moderated_at or decided.created_at,
        )

    @classmethod
    def of_reviewer_decision(cls, decided: ContentItem, notes: str | None) -> "AuditEntry":
        """The entry of a reviewer's decision on `decided` (the item as decided)."""
        return cls(
            id=uuid.uuid4(),
            tenant_id=decided.tenant_id,
            content_id=decided.id,
            source="human",
            actor=decided.moderated_by or "",
            status=decided.moderation_status,
            score=decided.moderation_score,
            confidence=1.0,
            reasons=decided.moderation_reasons,
            notes=notes,
            created_at=decided.moderated_at or decided.created_at,
        )
