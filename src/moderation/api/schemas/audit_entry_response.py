from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.domain.models import DecisionSource, ModerationReason, ModerationStatus

AUDIT_EXAMPLE: dict[str, Any] = {
    "id": "5d1e1f0c-9a43-4b07-8a0e-9f1d0f7f7b21",
    "source": "engine",
    "actor": "engine",
    "status": "flagged",
    "score": 0.52,
    "confidence": 0.61,
    "reasons": ["harassment"],
    "scores": {"toxicity": 0.52, "insult": 0.41, "spam": 0.01},
    "spans": [{"start": 10, "end": 15, "category": "insult", "source": "model"}],
    "language": "en",
    "model_version": "1.1.0+a061f4f5f0a6",
    "policy_version": 0,
    "notes": None,
    "processing_time_ms": 3,
    "created_at": "2026-11-23T12:00:00.140000Z",
}


class AuditEntryResponse(BaseModel):
    """One recorded decision: who or what decided, with which model and policy version."""

    model_config = ConfigDict(
        from_attributes=True,
        protected_namespaces=(),
        json_schema_extra={"examples": [AUDIT_EXAMPLE]},
    )

    id: UUID
    source: DecisionSource
    actor: str
    status: ModerationStatus
    score: float | None
    confidence: float | None
    reasons: list[ModerationReason]
    scores: dict[str, float]
    spans: list[dict[str, Any]]
    language: str | None
    model_version: str | None
    policy_version: int | None
    notes: str | None
    processing_time_ms: int | None
    created_at: datetime
