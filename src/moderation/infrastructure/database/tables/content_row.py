from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, JsonType, UtcDateTime


class ContentRow(Base):
    __tablename__ = "content_items"
    __table_args__ = (
        Index("ix_content_items_tenant_status_created", "tenant_id", "status", "created_at"),
        Index("ix_content_items_tenant_author", "tenant_id", "author_id"),
        # The background worker's claim query: pending items due for an attempt.
        Index("ix_content_items_status_next_attempt", "status", "next_attempt_at"),
        # The review queue's reported items.
        Index("ix_content_items_tenant_open_reports", "tenant_id", "open_reports"),
    )

    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
    author_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    tags: Mapped[list[Any]] = mapped_column(JsonType)
    extra: Mapped[dict[str, Any]] = mapped_column("metadata", JsonType)
    status: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    reasons: Mapped[list[Any]] = mapped_column(JsonType)
    moderated_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    moderated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The review queue: open user reports (the first one's time), an open appeal's filing
    # time, and a reviewer's claim.
    open_reports: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    appealed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Set when the item was deleted: the row stays as a tombstone, its text erased.
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The W3C traceparent of the span that stored it (NULL untraced): the worker's decision
    # continues that trace.
    trace_parent: Mapped[str | None] = mapped_column(String(55), nullable=True)
