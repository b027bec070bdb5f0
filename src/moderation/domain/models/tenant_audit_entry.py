from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class TenantAuditEntry(BaseModel):
    """One tenant-level action, kept for good (the table is append-only): a shadow promoted or
    rolled back, an item deleted, an author's content erased, a retention purge.

    `subject` names what it acted on (a content id, an author id, a policy version), and
    `details` what a later reader needs to understand it, never the erased text itself."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: UUID
    tenant_id: UUID
    actor: str
    action: str
    subject: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
