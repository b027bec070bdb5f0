from pydantic import BaseModel, ConfigDict
from pydantic.config import JsonDict

from moderation.api.schemas.azure._wire import WIRE_CONFIG

_EXAMPLE: JsonDict = {"blocklistName": "banned-words", "description": "Words we never publish"}


class TextBlocklist(BaseModel):
    """A text blocklist as Azure returns it (`TextBlocklist`)."""

    model_config = WIRE_CONFIG | ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    blocklist_name: str
    description: str | None = None
