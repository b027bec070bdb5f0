from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_TEXT_CHARS = 100_000


class ScoreInput(BaseModel):
    """One JSONL input line of `moderation score`."""

    model_config = ConfigDict(extra="ignore")

    id: str | int | None = None
    text: str = Field(max_length=MAX_TEXT_CHARS)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be empty or whitespace only")
        return value
