from pydantic import BaseModel, ConfigDict
from pydantic.config import JsonDict

from moderation.api.schemas.azure._wire import WIRE_CONFIG

ITEM_EXAMPLE: JsonDict = {
    "blocklistItemId": "0b5a9a3e-5a8e-4a61-9d0e-2f7c1f3c1a52",
    "description": "slur variant",
    "text": "idiot",
}


class TextBlocklistItem(BaseModel):
    """A blocklist item as Azure returns it (`TextBlocklistItem`)."""

    model_config = WIRE_CONFIG | ConfigDict(json_schema_extra={"examples": [ITEM_EXAMPLE]})

    blocklist_item_id: str
    description: str | None = None
    text: str
