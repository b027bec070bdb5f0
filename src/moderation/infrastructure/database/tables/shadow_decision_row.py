from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, JsonType, UtcDateTime


class ShadowDecisionRow(Base):
    """What the active and the candidate configuration decided on one live item."""

    __tablename__ = "shadow_decisions"
    __table_args__ = (
        Index("ix_shadow_decisions_tenant_created", "tenant_id", "created_at"),
        Index("ix_shadow_decisions_tenant_content", "tenant_id", "content_id"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
    content_id: Mapped[UUID] = mapped_column(ForeignKey("content_items.id"))
    active_status: Mapped[str] = mapped_column(String(16))
    candidate_status: Mapped[str] = mapped_column(String(16))
    active_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    candidate_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    active_reasons: Mapped[list[Any]] = mapped_column(JsonType)
    candidate_reasons: Mapped[list[Any]] = mapped_column(JsonType)
    policy_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    model_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    candidate_model_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
