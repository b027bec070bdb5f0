from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, UtcDateTime


class ContentAppealRow(Base):
    """Authors' appeals against decisions on their items."""

    __tablename__ = "content_appeals"
    __table_args__ = (
        Index("ix_content_appeals_tenant_content", "tenant_id", "content_id", "created_at"),
        # One open appeal per item, even under concurrent inserts.
        Index(
            "uq_content_appeals_open",
            "tenant_id",
            "content_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
    content_id: Mapped[UUID] = mapped_column(ForeignKey("content_items.id"))
    author_id: Mapped[str] = mapped_column(String(128))
    statement: Mapped[str] = mapped_column(Text)
    appealed_status: Mapped[str] = mapped_column(String(16))
    appealed_actor: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decision_notes: Mapped[str | None] = mapped_column(Text, nullable=True)
