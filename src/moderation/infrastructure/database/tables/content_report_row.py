from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, UtcDateTime


class ContentReportRow(Base):
    """Users' reports on content items (notice and action)."""

    __tablename__ = "content_reports"
    __table_args__ = (
        Index("ix_content_reports_tenant_content", "tenant_id", "content_id", "created_at"),
        # One open report per reporter and item, even under concurrent inserts.
        Index(
            "uq_content_reports_open",
            "tenant_id",
            "content_id",
            "reporter_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
    content_id: Mapped[UUID] = mapped_column(ForeignKey("content_items.id"))
    reporter_id: Mapped[str] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(32))
    details: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
