from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

# A suggested span score: characters [begin, end) of the text, and the score they deserve.
SuggestedSpan = tuple[int, int, float]


class ScoreSuggestion(BaseModel):
    """Scores a client says a text deserves (Perspective's `comments:suggestscore`), kept as
    labelled data: exported for training and for checking the model against people.

    `scores` and `spans` use the attribute names the client sent (Perspective's, e.g.
    TOXICITY); `model_scores` is what this service scored the same text at the time, so an
    export holds label and prediction side by side.
    """

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: UUID
    tenant_id: UUID
    text: str = Field(min_length=1)
    scores: dict[str, float] = Field(min_length=1)
    spans: dict[str, list[SuggestedSpan]] = Field(default_factory=dict)
    languages: list[str] = Field(default_factory=list)
    detected_language: str | None = None
    community_id: str | None = None
    client_token: str | None = None
    model_version: str
    model_scores: dict[str, float] = Field(default_factory=dict)
    created_at: datetime
    created_by: str
