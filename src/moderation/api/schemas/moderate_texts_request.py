from pydantic import BaseModel, ConfigDict, Field

from moderation.api.schemas.text_item import TextItem


class ModerateTextsRequest(BaseModel):
    """Stateless scoring of up to 100 texts under the tenant's policy."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"id": "c-1", "text": "Thanks, this fixed my problem!"},
                        {"id": "c-2", "text": "You are an idiot."},
                    ]
                }
            ]
        },
    )

    items: list[TextItem] = Field(min_length=1, max_length=100)
