from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.content_type import ContentType
from moderation.domain.models.moderation_status import ModerationStatus
from moderation.ml.vocabulary.moderation_reason import ModerationReason
from moderation.ml.vocabulary.moderation_result import ModerationResult

# The actor of the engine's own decisions (`moderated_by`, audit entries).
ENGINE_ACTOR = "engine"
# Below this, the language detector's guess is not stored on an item the client sent none for.
_LANGUAGE_CONFIDENCE = 0.85


class ContentItem(BaseModel):
    """A piece of user content a tenant stored, with its current moderation state.

    `moderated_by` is "engine" for automatic decisions, otherwise the human actor
    ("key:<uuid>" or "user:<sub>"). The full trail lives in the audit log.
    """

    model_config = ConfigDict(from_attributes=True, validate_assignment=True)

    id: UUID
    tenant_id: UUID
    author_id: str
    title: str
    body: str
    content_type: ContentType
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
    moderation_status: ModerationStatus = ModerationStatus.PENDING
    moderation_score: float | None = None
    moderation_confidence: float | None = None
    moderation_reasons: list[ModerationReason] = Field(default_factory=list)
    moderated_by: str | None = None
    moderated_at: datetime | None = None
    created_at: datetime
    updated_at: datetime | None = None
    # Open user reports, an open appeal's filing time, and the reviewer's claim while it runs
    # (see `ContentClaim`).
    open_reports: int = 0
    appealed_at: datetime | None = None
    claimed_by: str | None = None
    claimed_until: datetime | None = None
    # Where the request that stored it was traced (a W3C traceparent, opaque here), so the
    # worker's decision joins that trace. Internal: never serialised for a client.
    trace_parent: str | None = Field(default=None, exclude=True, repr=False)

    @property
    def text(self) -> str:
        """What the engine reads: the title and the body as one text."""
        return f"{self.title}\n\n{self.body}"

    def holder_other_than(self, actor: str, now: datetime) -> str | None:
        """Who holds a running claim on it, when that is not `actor`."""
        if self.claimed_by is None or self.claimed_by == actor:
            return None
        if self.claimed_until is None or self.claimed_until <= now:
            return None
        return self.claimed_by

    @property
    def decided_by_human(self) -> bool:
        """A reviewer's decision stands on it (the engine's own never replaces one)."""
        return self.moderated_by not in (None, ENGINE_ACTOR) and (
            self.moderation_status != ModerationStatus.PENDING
        )

    def decided_by_engine(self, result: ModerationResult, at: datetime) -> "ContentItem":
        """This item with the engine's decision `result` recorded at `at`; its language is
        filled in from the detector when the client sent none and the detector is sure."""
        guessed = (
            result.language
            if len(result.language) == 2 and result.language_confidence >= _LANGUAGE_CONFIDENCE
            else None
        )
        return self.model_copy(
            update={
                "moderation_status": ModerationStatus.of(result.decision),
                "moderation_score": result.score,
                "moderation_confidence": result.confidence,
                "moderation_reasons": list(result.reasons),
                "moderated_by": ENGINE_ACTOR,
                "moderated_at": at,
                "updated_at": at,
                "language": self.language or guessed,
            }
        )

    def decided_by_reviewer(
        self,
        actor: str,
        status: ModerationStatus,
        reasons: Sequence[ModerationReason],
        at: datetime,
    ) -> "ContentItem":
        """This item with a reviewer's decision: certain (confidence 1), reasons deduplicated,
        the engine's score kept for the record."""
        return self.model_copy(
            update={
                "moderation_status": status,
                "moderation_reasons": list(dict.fromkeys(reasons)),
                "moderation_confidence": 1.0,
                "moderated_by": actor,
                "moderated_at": at,
                "updated_at": at,
            }
        )
