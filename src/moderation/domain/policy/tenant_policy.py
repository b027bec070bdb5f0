from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.ml.policy.moderation_policy import ModerationPolicy


class TenantPolicy(BaseModel):
    """One version of a tenant's policy. Version 0 is the built-in default (seed thresholds)."""

    model_config = ConfigDict(frozen=True)

    tenant_id: UUID
    version: int
    policy: ModerationPolicy
    created_at: datetime | None = None
    created_by: str | None = None
