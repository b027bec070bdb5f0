from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.bulk_outcome import BulkOutcome


class BulkModerateResponse(BaseModel):
    """One outcome per requested item, in request order."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "decided": 1,
                    "failed": 1,
                    "results": [
                        {
                            "content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
                            "outcome": "decided",
                            "result": {
                                "content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11",
                                "status": "approved",
                                "score": 0.12,
                                "reasons": [],
                                "confidence": 1.0,
                                "processing_time_ms": 2,
                            },
                            "error": None,
                        },
                        {
                            "content_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                            "outcome": "not_found",
                            "result": None,
                            "error": "content 7c9e6679-7425-40de-944b-e07fc1f90ae7 not found",
                        },
                    ],
                }
            ]
        }
    )

    decided: int
    failed: int
    results: list[BulkOutcome]
