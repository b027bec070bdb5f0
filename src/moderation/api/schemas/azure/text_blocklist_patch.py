from pydantic import BaseModel, Field

from moderation.api.schemas.azure._wire import MAX_DESCRIPTION, WIRE_CONFIG


class TextBlocklistPatch(BaseModel):
    """The JSON merge patch body of `PATCH /contentsafety/text/blocklists/{name}`. Azure's
    client also sends `blocklistName`; it must then be the name in the URL."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [{"blocklistName": "banned-words", "description": "Words we never publish"}]
        }
    }

    blocklist_name: str | None = Field(default=None, max_length=64)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)
