from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class IdempotencyRecord(BaseModel):
    """The first outcome of a request sent with an Idempotency-Key."""

    model_config = ConfigDict(frozen=True)

    tenant_id: UUID
    key: str
    request_hash: str
    status_code: int
    response: dict[str, Any]
    created_at: datetime
