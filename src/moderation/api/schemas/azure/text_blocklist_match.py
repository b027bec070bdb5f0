from pydantic import BaseModel

from moderation.api.schemas.azure._wire import WIRE_CONFIG


class TextBlocklistMatch(BaseModel):
    """One blocklist item found in the text."""

    model_config = WIRE_CONFIG

    blocklist_name: str
    blocklist_item_id: str
    blocklist_item_text: str
