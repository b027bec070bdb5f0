from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, JsonType, UtcDateTime


class FailedTaskRow(Base):
    """Dead letters: tasks that failed on every allowed attempt (id = the task's own id)."""

    __tablename__ = "failed_tasks"
    __table_args__ = (Index("ix_failed_tasks_failed_at", "failed_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    task_name: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(JsonType)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    failed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    replayed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
