from pydantic import BaseModel, Field

from moderation.api.schemas.azure._wire import WIRE_CONFIG
from moderation.api.schemas.azure.text_category import TextCategory


class TextCategoriesAnalysis(BaseModel):
    """One category's severity: 0 to 7, or 0, 2, 4, 6 with FourSeverityLevels."""

    model_config = WIRE_CONFIG

    category: TextCategory
    severity: int = Field(ge=0, le=7)
