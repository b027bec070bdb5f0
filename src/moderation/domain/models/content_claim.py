from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class ContentClaim(BaseModel):
    """A reviewer's lease on an item: while it runs nobody else may claim or decide it."""

    model_config = ConfigDict(frozen=True)

    content_id: UUID
    claimed_by: str
    claimed_until: datetime
