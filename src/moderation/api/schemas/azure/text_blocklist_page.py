from pydantic import BaseModel

from moderation.api.schemas.azure._wire import WIRE_CONFIG
from moderation.api.schemas.azure.text_blocklist import TextBlocklist


class TextBlocklistPage(BaseModel):
    """A page of blocklists (Azure's paged list: `value`, and `nextLink` while more remain)."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [
                {"value": [{"blocklistName": "banned-words", "description": "Never publish"}]}
            ]
        }
    }

    value: list[TextBlocklist]
    next_link: str | None = None
