from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.moderation_response import ModerationResponse


class BulkOutcome(BaseModel):
    """What happened to one item of a bulk request."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "content_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "outcome": "not_found",
                    "result": None,
                    "error": "content 7c9e6679-7425-40de-944b-e07fc1f90ae7 not found",
                }
            ]
        }
    )

    content_id: UUID
    outcome: Literal["decided", "not_found", "invalid"]
    result: ModerationResponse | None = None
    error: str | None = None
