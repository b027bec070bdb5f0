from typing import Self

from pydantic import BaseModel, Field, model_validator

from moderation.api.schemas.perspective._wire import WIRE_CONFIG, LanguageCode
from moderation.api.schemas.perspective.analyze_comment_request import (
    MAX_ATTRIBUTES,
    MAX_LANGUAGES,
    SUPPORTED_ATTRIBUTES,
)
from moderation.api.schemas.perspective.attribute_scores import AttributeScores
from moderation.api.schemas.perspective.comment import Comment

MAX_SPANS_PER_ATTRIBUTE = 100
MAX_TOKEN_CHARS = 256


class SuggestCommentScoreRequest(BaseModel):
    """Perspective's `comments:suggestscore` request body: the scores a client (a moderator, a
    community) says the comment deserves. Recorded as labelled data, never used to score.

    `context` and `sessionId` are accepted and ignored, as on `comments:analyze`.
    """

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {
            "examples": [
                {
                    "comment": {"text": "You are a complete idiot."},
                    "attributeScores": {
                        "TOXICITY": {
                            "summaryScore": {"value": 0.2},
                            "spanScores": [{"begin": 0, "end": 25, "score": {"value": 0.2}}],
                        },
                        "INSULT": {"summaryScore": {"value": 0.1}},
                    },
                    "languages": ["en"],
                    "communityId": "forum-42",
                    "clientToken": "comment-1234",
                }
            ]
        }
    }

    comment: Comment
    attribute_scores: dict[str, AttributeScores] = Field(
        min_length=1,
        max_length=MAX_ATTRIBUTES,
        description="Attribute name -> the suggested summary score (and, optionally, span "
        "scores within the comment).",
        json_schema_extra={"propertyNames": {"enum": list(SUPPORTED_ATTRIBUTES)}},
    )
    languages: list[LanguageCode] | None = Field(
        default=None,
        max_length=MAX_LANGUAGES,
        description="The comment's languages as the client knows them; stored and echoed back "
        "as requestedLanguages.",
    )
    community_id: str | None = Field(
        default=None,
        max_length=MAX_TOKEN_CHARS,
        description="Where the comment was posted (a forum, a site); stored with the scores.",
    )
    client_token: str | None = Field(
        default=None, max_length=MAX_TOKEN_CHARS, description="Stored and echoed back."
    )
    session_id: str | None = Field(
        default=None, max_length=MAX_TOKEN_CHARS, description="Accepted and ignored."
    )
    context: dict[str, object] | None = Field(default=None, description="Accepted and ignored.")

    @model_validator(mode="after")
    def _spans_lie_within_the_comment(self) -> Self:
        length = len(self.comment.text)
        for name, scores in self.attribute_scores.items():
            spans = scores.span_scores or []
            if len(spans) > MAX_SPANS_PER_ATTRIBUTE:
                raise ValueError(
                    f"at most {MAX_SPANS_PER_ATTRIBUTE} spanScores per attribute ({name[:64]})"
                )
            for span in spans:
                if not span.begin < span.end <= length:
                    raise ValueError(
                        f"spanScores of {name[:64]}: [{span.begin}, {span.end}) is not a "
                        f"non-empty range within the comment's {length} characters"
                    )
        return self
