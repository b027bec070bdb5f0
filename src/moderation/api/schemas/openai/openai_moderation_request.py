from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from moderation.api.schemas.openai.text_input_part import TextInputPart

_MAX_TEXTS = 100
_Text = Annotated[str, StringConstraints(min_length=1, max_length=100_000)]


class OpenAIModerationRequest(BaseModel):
    """The body of OpenAI's `POST /v1/moderations`: one text, a list of texts, or a list of
    text parts; at most 100 texts, as `/api/v1/moderate`. Image parts are not analysed yet
    and are refused (422) rather than ignored."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"model": "omni-moderation-latest", "input": "You are an idiot."}]
        },
    )

    input: _Text | list[_Text] | list[TextInputPart]
    model: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _count(self) -> "OpenAIModerationRequest":
        if not 1 <= len(self.texts()) <= _MAX_TEXTS:
            raise ValueError(f"input must hold 1 to {_MAX_TEXTS} texts")
        return self

    def texts(self) -> list[str]:
        if isinstance(self.input, str):
            return [self.input]
        return [part if isinstance(part, str) else part.text for part in self.input]
