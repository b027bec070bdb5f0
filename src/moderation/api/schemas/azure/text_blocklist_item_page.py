from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.azure._wire import WIRE_CONFIG
from moderation.api.schemas.azure.text_blocklist_item import ITEM_EXAMPLE, TextBlocklistItem


class TextBlocklistItemPage(BaseModel):
    """A page of a blocklist's items (`value`, and `nextLink` while more remain)."""

    model_config = WIRE_CONFIG | ConfigDict(
        json_schema_extra={"examples": [{"value": [ITEM_EXAMPLE]}]}
    )

    value: list[TextBlocklistItem]
    next_link: str | None = None
