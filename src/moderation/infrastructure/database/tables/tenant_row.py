from datetime import datetime
from uuid import UUID

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, UtcDateTime


class TenantRow(Base):
    __tablename__ = "tenants"

    id: Mapped[UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Items older than this many days are purged by the retention job (None: kept).
    retention_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
