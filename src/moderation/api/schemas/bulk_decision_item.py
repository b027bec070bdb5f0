from uuid import UUID

from pydantic import ConfigDict

from moderation.api.schemas.moderate_content_request import ModerateContentRequest


class BulkDecisionItem(ModerateContentRequest):
    """One decision in a bulk request."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
                    "status": "approved",
                    "reasons": [],
                    "notes": "Sarcasm, not abuse.",
                }
            ]
        },
    )

    content_id: UUID
