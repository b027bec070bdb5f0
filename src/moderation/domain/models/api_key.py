from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.core.scope import Scope


class ApiKey(BaseModel):
    """A tenant's API key. Only the hash of the secret is ever stored."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: UUID
    tenant_id: UUID
    name: str
    prefix: str
    key_hash: str
    scopes: frozenset[Scope]
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None
