from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models.content_type import ContentType


class NewContent(BaseModel):
    """What a client submits to store (already validated by the API schema)."""

    model_config = ConfigDict(frozen=True)

    title: str
    body: str
    content_type: ContentType
    author_id: str
    language: str | None = None
    tags: list[str] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)
