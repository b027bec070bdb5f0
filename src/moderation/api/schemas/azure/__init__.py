"""Request and response models of the Azure AI Content Safety compatible routes."""

from moderation.api.schemas.azure.add_or_update_blocklist_items_request import (
    AddOrUpdateBlocklistItemsRequest,
)
from moderation.api.schemas.azure.add_or_update_blocklist_items_response import (
    AddOrUpdateBlocklistItemsResponse,
)
from moderation.api.schemas.azure.analyze_text_request import AnalyzeTextRequest
from moderation.api.schemas.azure.analyze_text_response import AnalyzeTextResponse
from moderation.api.schemas.azure.remove_blocklist_items_request import (
    RemoveBlocklistItemsRequest,
)
from moderation.api.schemas.azure.text_blocklist import TextBlocklist
from moderation.api.schemas.azure.text_blocklist_item import TextBlocklistItem
from moderation.api.schemas.azure.text_blocklist_item_input import TextBlocklistItemInput
from moderation.api.schemas.azure.text_blocklist_item_page import TextBlocklistItemPage
from moderation.api.schemas.azure.text_blocklist_match import TextBlocklistMatch
from moderation.api.schemas.azure.text_blocklist_page import TextBlocklistPage
from moderation.api.schemas.azure.text_blocklist_patch import TextBlocklistPatch
from moderation.api.schemas.azure.text_categories_analysis import TextCategoriesAnalysis
from moderation.api.schemas.azure.text_category import TextCategory

__all__ = [
    "AddOrUpdateBlocklistItemsRequest",
    "AddOrUpdateBlocklistItemsResponse",
    "AnalyzeTextRequest",
    "AnalyzeTextResponse",
    "RemoveBlocklistItemsRequest",
    "TextBlocklist",
    "TextBlocklistItem",
    "TextBlocklistItemInput",
    "TextBlocklistItemPage",
    "TextBlocklistMatch",
    "TextBlocklistPage",
    "TextBlocklistPatch",
    "TextCategoriesAnalysis",
    "TextCategory",
]
