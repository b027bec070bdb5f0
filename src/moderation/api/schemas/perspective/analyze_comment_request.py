from pydantic import BaseModel, Field

from moderation.api.schemas.perspective._wire import WIRE_CONFIG, LanguageCode
from moderation.api.schemas.perspective.comment import Comment
from moderation.api.schemas.perspective.requested_attribute import RequestedAttribute

SUPPORTED_ATTRIBUTES = (
    "TOXICITY",
    "INSULT",
    "PROFANITY",
    "THREAT",
    "IDENTITY_ATTACK",
    "SEXUALLY_EXPLICIT",
    "SPAM",
    "SEVERE_TOXICITY",
)
MAX_ATTRIBUTES = 2 * len(SUPPORTED_ATTRIBUTES)
MAX_LANGUAGES = 20


class AnalyzeCommentRequest(BaseModel):
    """Perspective's `comments:analyze` request body, field for field.

    Fields Perspective defines but that do not change scoring here (`context`, `sessionId`,
    `communityId`, `doNotStore`) are accepted so existing clients work unchanged. Unknown
    attribute names are rejected by the mapper, with the supported names in the message.
    """

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [
                {
                    "comment": {"text": "You are a complete idiot."},
                    "requestedAttributes": {
                        "TOXICITY": {},
                        "INSULT": {},
                        "SEVERE_TOXICITY": {"scoreThreshold": 0.5},
                    },
                    "languages": ["en"],
                    "doNotStore": True,
                    "spanAnnotations": True,
                    "clientToken": "comment-1234",
                }
            ]
        }
    }

    comment: Comment
    requested_attributes: dict[str, RequestedAttribute] = Field(
        min_length=1,
        # Twice the supported names: room to name a few unknown ones in the error message.
        max_length=MAX_ATTRIBUTES,
        description='Attribute name -> options, e.g. {"TOXICITY": {}}.',
        # Documented here, enforced by PerspectiveMapper.check (for a message naming them all).
        json_schema_extra={"propertyNames": {"enum": list(SUPPORTED_ATTRIBUTES)}},
    )
    languages: list[LanguageCode] | None = Field(
        default=None,
        max_length=MAX_LANGUAGES,
        description="ISO 639-1 codes; echoed back, not enforced: text in any language is "
        "scored. Detected when absent.",
    )
    do_not_store: bool = Field(
        default=False, description="Accepted for compatibility; this endpoint stores no text."
    )
    span_annotations: bool = Field(
        default=False, description="Score sentence spans instead of one span for the whole text."
    )
    client_token: str | None = Field(default=None, description="Echoed back unchanged.")
    session_id: str | None = Field(default=None, description="Accepted and ignored.")
    context: dict[str, object] | None = Field(default=None, description="Accepted and ignored.")
    community_id: str | None = Field(default=None, description="Accepted and ignored.")
