from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from moderation.domain.models import ContentType

MAX_TAGS = 10
MAX_METADATA_BYTES = 16_384


class CreateContentRequest(BaseModel):
    """A piece of user content to store and moderate."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Great blender",
                    "body": "Crushes ice in seconds. Five stars, would buy again.",
                    "content_type": "text",
                    "author_id": "user-8231",
                    "language": "en",
                    "tags": ["Review", " kitchen ", "review"],
                    "metadata": {"product_id": "B00123", "source": "web"},
                }
            ]
        },
    )

    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)
    content_type: ContentType
    author_id: str = Field(
        min_length=1,
        max_length=128,
        pattern=r"^[\x21-\x7e]+$",
        description="Your platform's id for the author (printable ASCII, no spaces).",
    )
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    tags: list[str] = Field(
        default_factory=list,
        description="Up to 10 tags; stripped, lower-cased, empties and duplicates dropped.",
    )
    metadata: dict[str, Any] = Field(default_factory=dict, description="Free-form, ≤ 16 KiB.")

    @field_validator("title", "body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("tags")
    @classmethod
    def _normalise_tags(cls, tags: list[str]) -> list[str]:
        cleaned = list(dict.fromkeys(t.strip().lower() for t in tags if t.strip()))
        if len(cleaned) > MAX_TAGS:
            raise ValueError(f"at most {MAX_TAGS} tags")
        if any(len(tag) > 64 for tag in cleaned):
            raise ValueError("a tag is at most 64 characters")
        return cleaned

    @field_validator("metadata")
    @classmethod
    def _bounded_metadata(cls, metadata: dict[str, Any]) -> dict[str, Any]:
        import json

        if len(json.dumps(metadata, default=str)) > MAX_METADATA_BYTES:
            raise ValueError(f"metadata is at most {MAX_METADATA_BYTES} bytes of JSON")
        return metadata
