from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, JsonType, UtcDateTime


class ScoreSuggestionRow(Base):
    """Scores clients suggested for a text (`comments:suggestscore`): labelled data."""

    __tablename__ = "score_suggestions"
    # The export's keyset order within a tenant.
    __table_args__ = (
        Index("ix_score_suggestions_tenant_created", "tenant_id", "created_at", "id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
    text: Mapped[str] = mapped_column(Text)
    scores: Mapped[dict[str, Any]] = mapped_column(JsonType)
    spans: Mapped[dict[str, Any]] = mapped_column(JsonType)
    languages: Mapped[list[Any]] = mapped_column(JsonType)
    detected_language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    community_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    client_token: Mapped[str | None] = mapped_column(String(256), nullable=True)
    model_version: Mapped[str] = mapped_column(String(100))
    model_scores: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
