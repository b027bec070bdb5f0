from pydantic import BaseModel, Field

from moderation.api.schemas.azure._wire import (
    MAX_DESCRIPTION,
    MAX_ITEM_TEXT,
    WIRE_CONFIG,
    ItemId,
)


class TextBlocklistItemInput(BaseModel):
    """An item to add, or to update when `blocklistItemId` names one (Azure's client never
    sends the id: an item is then found by its text, so re-adding one updates it)."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {"examples": [{"description": "slur variant", "text": "idiot"}]}
    }

    text: str = Field(
        min_length=1, max_length=MAX_ITEM_TEXT, description="At most 128 characters, as Azure."
    )
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)
    blocklist_item_id: ItemId | None = None
