from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.content_response import CONTENT_EXAMPLE, ContentResponse


class QueuePageResponse(BaseModel):
    """One page of the review queue, in priority order."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [{**CONTENT_EXAMPLE, "moderation_status": "flagged"}],
                    "total": 1,
                    "page": 1,
                    "size": 20,
                    "pages": 1,
                }
            ]
        }
    )

    items: list[ContentResponse]
    total: int
    page: int
    size: int
    pages: int
