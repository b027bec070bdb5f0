from pydantic import BaseModel, ConfigDict, Field


class TextItem(BaseModel):
    """A text to score, with your id for it (echoed back)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"id": "c-1", "text": "You are an idiot."}]},
    )

    id: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=100_000)
