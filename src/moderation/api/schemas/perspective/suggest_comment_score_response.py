from pydantic import BaseModel, Field

from moderation.api.schemas.perspective._wire import WIRE_CONFIG


class SuggestCommentScoreResponse(BaseModel):
    """Perspective's `comments:suggestscore` response body, field for field."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [
                {
                    "detectedLanguages": ["en"],
                    "requestedLanguages": ["en"],
                    "clientToken": "comment-1234",
                }
            ]
        }
    }

    detected_languages: list[str] = Field(description="Language the engine detected, if any.")
    requested_languages: list[str] = Field(description="The request's languages, as sent.")
    client_token: str | None = None
