from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class ClaimResponse(BaseModel):
    """The caller's claim on an item: nobody else may claim or decide it until it lapses,
    the caller decides, or it is released."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
                    "claimed_by": "key:3f0c6a56-6d2e-4b7e-9d0f-2b8c1d0e9a11",
                    "claimed_until": "2026-12-04T10:10:00Z",
                }
            ]
        }
    )

    content_id: UUID
    claimed_by: str
    claimed_until: datetime
