from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class Tenant(BaseModel):
    """A platform using the service; every stored row belongs to exactly one."""

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: UUID
    name: str
    created_at: datetime
