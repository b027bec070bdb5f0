from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TextInputPart(BaseModel):
    """One `{"type": "text", "text": …}` part of a multi-modal OpenAI moderation input."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["text"]
    text: str = Field(min_length=1, max_length=100_000)
