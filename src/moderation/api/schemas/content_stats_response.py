from pydantic import BaseModel, ConfigDict


class ContentStatsResponse(BaseModel):
    """How much of the tenant's content is in each status, and why items were stopped."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "total": 120,
                    "by_status": {"pending": 3, "approved": 101, "flagged": 10, "rejected": 6},
                    "by_reason": {"spam": 4, "harassment": 9, "hate_speech": 2, "profanity": 5},
                }
            ]
        }
    )

    total: int
    by_status: dict[str, int]
    by_reason: dict[str, int]
