from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.domain.models import ModerationReason, ModerationStatus


class ModerationResponse(BaseModel):
    """The outcome of a decision on one item (engine or human)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
                    "status": "rejected",
                    "score": 0.91,
                    "reasons": ["harassment"],
                    "confidence": 1.0,
                    "processing_time_ms": 4,
                }
            ]
        }
    )

    content_id: UUID
    status: ModerationStatus
    score: float
    reasons: list[ModerationReason]
    confidence: float
    processing_time_ms: int
