from pydantic import BaseModel, Field

from moderation.api.schemas.azure._wire import MAX_ITEMS_PER_REQUEST, WIRE_CONFIG, ItemId


class RemoveBlocklistItemsRequest(BaseModel):
    """Azure's `RemoveTextBlocklistItemsOptions`: 1 to 100 item ids."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [{"blocklistItemIds": ["0b5a9a3e-5a8e-4a61-9d0e-2f7c1f3c1a52"]}]
        }
    }

    blocklist_item_ids: list[ItemId] = Field(min_length=1, max_length=MAX_ITEMS_PER_REQUEST)
