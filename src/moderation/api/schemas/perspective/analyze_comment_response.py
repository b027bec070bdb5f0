from pydantic import BaseModel, Field

from moderation.api.schemas.perspective._wire import WIRE_CONFIG
from moderation.api.schemas.perspective.attribute_scores import AttributeScores


class AnalyzeCommentResponse(BaseModel):
    """Perspective's `comments:analyze` response body, field for field."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [
                {
                    "attributeScores": {
                        "TOXICITY": {
                            "summaryScore": {"value": 0.9208, "type": "PROBABILITY"},
                            "spanScores": [
                                {
                                    "begin": 0,
                                    "end": 25,
                                    "score": {"value": 0.9208, "type": "PROBABILITY"},
                                }
                            ],
                        }
                    },
                    "languages": ["en"],
                    "detectedLanguages": ["en"],
                    "clientToken": "comment-1234",
                }
            ]
        }
    }

    attribute_scores: dict[str, AttributeScores] = Field(
        description="One entry per requested attribute that met its scoreThreshold."
    )
    languages: list[str] = Field(description="The request's languages, else the detected one.")
    detected_languages: list[str] = Field(description="Language the engine detected, if any.")
    client_token: str | None = None
