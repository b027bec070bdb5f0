from pydantic import BaseModel, Field

from moderation.api.schemas.perspective._wire import WIRE_CONFIG
from moderation.api.schemas.perspective.score import Score


class SpanScore(BaseModel):
    """A score for characters [begin, end) of the comment text (Python string offsets)."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [{"begin": 0, "end": 22, "score": {"value": 0.9208, "type": "PROBABILITY"}}]
        }
    }

    begin: int = Field(ge=0, description="Offset of the first character, inclusive.")
    end: int = Field(ge=0, description="Offset one past the last character.")
    score: Score
