from pydantic import BaseModel, ConfigDict, Field

from moderation.api.schemas.bulk_decision_item import BulkDecisionItem


class BulkModerateRequest(BaseModel):
    """Up to 100 reviewer decisions at once; each succeeds or fails on its own."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {
                            "content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
                            "status": "approved",
                        },
                        {
                            "content_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                            "status": "rejected",
                            "reasons": ["spam"],
                        },
                    ]
                }
            ]
        },
    )

    items: list[BulkDecisionItem] = Field(min_length=1, max_length=100)
