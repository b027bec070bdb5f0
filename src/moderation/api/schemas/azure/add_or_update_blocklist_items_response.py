from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.azure._wire import WIRE_CONFIG
from moderation.api.schemas.azure.text_blocklist_item import ITEM_EXAMPLE, TextBlocklistItem


class AddOrUpdateBlocklistItemsResponse(BaseModel):
    """Azure's `AddOrUpdateTextBlocklistItemsResult`: the items as stored."""

    model_config = WIRE_CONFIG | ConfigDict(
        json_schema_extra={"examples": [{"blocklistItems": [ITEM_EXAMPLE]}]}
    )

    blocklist_items: list[TextBlocklistItem]
