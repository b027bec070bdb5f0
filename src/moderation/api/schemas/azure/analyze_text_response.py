from pydantic import BaseModel, Field

from moderation.api.schemas.azure._wire import WIRE_CONFIG
from moderation.api.schemas.azure.text_blocklist_match import TextBlocklistMatch
from moderation.api.schemas.azure.text_categories_analysis import TextCategoriesAnalysis


class AnalyzeTextResponse(BaseModel):
    """Azure's `AnalyzeTextResult`."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [
                {
                    "blocklistsMatch": [
                        {
                            "blocklistName": "banned-words",
                            "blocklistItemId": "0b5a9a3e-5a8e-4a61-9d0e-2f7c1f3c1a52",
                            "blocklistItemText": "idiot",
                        }
                    ],
                    "categoriesAnalysis": [
                        {"category": "Hate", "severity": 2},
                        {"category": "SelfHarm", "severity": 0},
                        {"category": "Sexual", "severity": 0},
                        {"category": "Violence", "severity": 4},
                    ],
                }
            ]
        }
    }

    blocklists_match: list[TextBlocklistMatch] = Field(default_factory=list)
    categories_analysis: list[TextCategoriesAnalysis] = Field(default_factory=list)
