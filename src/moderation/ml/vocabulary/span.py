from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.vocabulary.category import Category


class Span(BaseModel):
    """Characters [start, end) of the ORIGINAL text that triggered a category."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    category: Category
    source: str = Field(default="model", description="'model' or 'rule:<rule id>'")
