from uuid import UUID

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base


class ContentTagRow(Base):
    """Tags as rows, so `?tag=` filters with an index on SQLite and PostgreSQL alike."""

    __tablename__ = "content_tags"
    __table_args__ = (Index("ix_content_tags_tenant_tag", "tenant_id", "tag"),)

    content_id: Mapped[UUID] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
