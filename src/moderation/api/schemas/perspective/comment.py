from typing import Literal

from pydantic import BaseModel, Field

from moderation.api.schemas.perspective._wire import WIRE_CONFIG

MAX_COMMENT_CHARS = 20480


class Comment(BaseModel):
    """The text to analyze."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [{"text": "You are a complete idiot.", "type": "PLAIN_TEXT"}]
        }
    }

    text: str = Field(min_length=1, max_length=MAX_COMMENT_CHARS)
    type: Literal["PLAIN_TEXT"] = Field(
        default="PLAIN_TEXT", description="Only PLAIN_TEXT is supported, as in Perspective."
    )
