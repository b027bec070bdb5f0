from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, JsonType, UtcDateTime


class TenantAuditRow(Base):
    """Tenant-level actions (promote, rollback, erase, purge, delete). Append-only: database
    triggers refuse UPDATE and DELETE (see migration 0008)."""

    __tablename__ = "tenant_audit"
    __table_args__ = (Index("ix_tenant_audit_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(200), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
