"""Wire conventions shared by the Azure AI Content Safety DTOs."""

from typing import Annotated

from pydantic import ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

# Azure's clients send and expect camelCase. Members Azure would not know are ignored, as
# Azure ignores them, so a newer client's extra fields do not break an older route.
WIRE_CONFIG = ConfigDict(
    alias_generator=to_camel,
    validate_by_name=True,
    validate_by_alias=True,
    serialize_by_alias=True,
    extra="ignore",
)

# Azure documents 10,000 Unicode code points per text (Python's len counts code points).
MAX_TEXT_CHARS = 10_000
# Azure's limits on blocklist requests and items.
MAX_ITEMS_PER_REQUEST = 100
MAX_ITEM_TEXT = 128
MAX_DESCRIPTION = 1024

BlocklistNameRef = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ItemId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
