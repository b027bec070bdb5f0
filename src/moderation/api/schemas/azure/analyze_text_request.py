from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from moderation.api.schemas.azure._wire import MAX_TEXT_CHARS, WIRE_CONFIG, BlocklistNameRef
from moderation.api.schemas.azure.text_category import TextCategory

OutputType = Literal["FourSeverityLevels", "EightSeverityLevels"]
_CATEGORIES = {category.value.casefold(): category for category in TextCategory}


class AnalyzeTextRequest(BaseModel):
    """The body of Azure's `POST /contentsafety/text:analyze` (`AnalyzeTextOptions`)."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [
                {
                    "text": "You are an idiot and I will find you.",
                    "categories": ["Hate", "Violence"],
                    "blocklistNames": ["banned-words"],
                    "haltOnBlocklistHit": False,
                    "outputType": "FourSeverityLevels",
                }
            ]
        }
    }

    text: str = Field(
        min_length=1,
        max_length=MAX_TEXT_CHARS,
        description=f"At most {MAX_TEXT_CHARS:,} characters (Unicode code points), as Azure.",
    )
    categories: list[TextCategory] | None = Field(
        default=None, description="Categories to report; all four when absent."
    )
    blocklist_names: list[BlocklistNameRef] | None = Field(
        default=None, description="Blocklists whose hits `blocklistsMatch` reports."
    )
    halt_on_blocklist_hit: bool | None = Field(
        default=None,
        description="When a named blocklist is hit, report no category (`categoriesAnalysis` "
        "is empty), as Azure stops its analysis there.",
    )
    output_type: OutputType | None = Field(
        default=None, description="Severities 0, 2, 4, 6 (the default) or 0 to 7."
    )

    @field_validator("categories", mode="before")
    @classmethod
    def _any_case(cls, value: Any) -> Any:
        # Azure's enums are case-insensitive (the client's are too): "hate" is Hate.
        if isinstance(value, list):
            return [_CATEGORIES.get(v.casefold(), v) if isinstance(v, str) else v for v in value]
        return value

    def wanted_categories(self) -> list[TextCategory]:
        """The categories to report, in the order asked for, each once."""
        return list(dict.fromkeys(self.categories or TextCategory))

    def wanted_blocklists(self) -> list[str]:
        return list(dict.fromkeys(self.blocklist_names or ()))

    @property
    def eight_levels(self) -> bool:
        return self.output_type == "EightSeverityLevels"
