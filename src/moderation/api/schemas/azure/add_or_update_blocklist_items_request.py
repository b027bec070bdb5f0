from pydantic import BaseModel, Field

from moderation.api.schemas.azure._wire import MAX_ITEMS_PER_REQUEST, WIRE_CONFIG
from moderation.api.schemas.azure.text_blocklist_item_input import TextBlocklistItemInput


class AddOrUpdateBlocklistItemsRequest(BaseModel):
    """Azure's `AddOrUpdateTextBlocklistItemsOptions`: 1 to 100 items."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [{"blocklistItems": [{"description": "slur variant", "text": "idiot"}]}]
        }
    }

    blocklist_items: list[TextBlocklistItemInput] = Field(
        min_length=1, max_length=MAX_ITEMS_PER_REQUEST
    )
