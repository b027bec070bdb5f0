from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, JsonType, UtcDateTime


class AuthorActionRow(Base):
    """An action a strike rule recommended against an author (`AuthorActionRecommended`)."""

    __tablename__ = "author_actions"
    __table_args__ = (Index("ix_author_actions_author", "tenant_id", "author_id", "created_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
    author_id: Mapped[str] = mapped_column(String(128))
    rule_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    strikes: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[list[Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
