from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.appeal_response import APPEAL_EXAMPLE, AppealResponse


class AppealListResponse(BaseModel):
    """Every appeal on an item, newest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"content_id": APPEAL_EXAMPLE["content_id"], "appeals": [APPEAL_EXAMPLE]}]
        }
    )

    content_id: UUID
    appeals: list[AppealResponse]
