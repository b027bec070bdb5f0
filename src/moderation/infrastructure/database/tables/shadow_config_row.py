from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from moderation.infrastructure.database.base import Base, JsonType, UtcDateTime


class ShadowConfigRow(Base):
    """A tenant's running shadow: a candidate policy document and/or model scoring live
    traffic beside the active ones, never acted on. One per tenant."""

    __tablename__ = "shadow_configs"

    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenants.id"), primary_key=True)
    policy: Mapped[dict[str, Any] | None] = mapped_column(JsonType, nullable=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_by: Mapped[str] = mapped_column(String(200))
