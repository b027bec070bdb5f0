from pydantic import BaseModel, Field

from moderation.api.schemas.perspective._wire import WIRE_CONFIG
from moderation.api.schemas.perspective.score import Score
from moderation.api.schemas.perspective.span_score import SpanScore


class AttributeScores(BaseModel):
    """Scores for one requested attribute: the whole comment, and per span."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [
                {
                    "summaryScore": {"value": 0.9208, "type": "PROBABILITY"},
                    "spanScores": [
                        {"begin": 0, "end": 22, "score": {"value": 0.9208, "type": "PROBABILITY"}}
                    ],
                }
            ]
        }
    }

    summary_score: Score
    span_scores: list[SpanScore] | None = Field(
        default=None, description="Span scores, tiling the text in order."
    )
