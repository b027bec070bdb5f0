from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, UtcDateTime

_ACTIVE = text("removed_at IS NULL")


class AuthorStrikeRow(Base):
    """A strike against an author: one per rejected item and reason, removed (kept, with
    `removed_at`) when the rejection is overturned or the item re-decided."""

    __tablename__ = "author_strikes"
    __table_args__ = (
        Index("ix_author_strikes_author", "tenant_id", "author_id", "reason", "created_at"),
        Index(
            "uq_author_strikes_active",
            "tenant_id",
            "content_id",
            "reason",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
    author_id: Mapped[str] = mapped_column(String(128))
    content_id: Mapped[UUID] = mapped_column(ForeignKey("content_items.id"))
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    removed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
