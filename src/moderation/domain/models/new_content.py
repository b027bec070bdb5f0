import json
import math
import re
import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from moderation.core.storable_text import unstorable
from moderation.domain.models.content_item import ContentItem
from moderation.domain.models.content_type import ContentType
from moderation.domain.models.domain_event import DomainEvent
from moderation.domain.models.webhook_event_type import WebhookEventType

MAX_TAGS = 10
MAX_METADATA_BYTES = 16_384
# Nesting levels, counting the metadata object itself: deep enough for any real attribute tree,
# far below where serialisers give up (pydantic's limit is about 255), so every stored item
# stays readable, alone and in lists.
MAX_METADATA_DEPTH = 8
# Member names across all levels: the byte bound alone still admits thousands of tiny keys.
MAX_METADATA_KEYS = 256
# What an author id may be: it is a filter value and a column of 128 characters.
_AUTHOR_ID = re.compile(r"[\x21-\x7e]{1,128}")


class NewContent(BaseModel):
    """A piece of user content to store and moderate, validated wherever it comes from (the
    API's `POST /content`, an import job's rows)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=10_000)
    content_type: ContentType
    author_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        pattern=r"^[\x21-\x7e]+$",
        description=(
            "Your platform's id for the author (printable ASCII, no spaces). Omitted, the "
            "caller is the author: `key:<key id>` for an API key, `user:<sub>` for a JWT."
        ),
    )
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    tags: list[str] = Field(
        default_factory=list,
        description="Up to 10 tags; stripped, lower-cased, empties and duplicates dropped.",
    )
    metadata: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            f"Free-form JSON object: at most {MAX_METADATA_BYTES} bytes serialised, "
            f"{MAX_METADATA_DEPTH} levels deep and {MAX_METADATA_KEYS} keys in all."
        ),
    )

    @field_validator("title", "body")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        _refuse_unstorable(value)
        return value

    @field_validator("tags")
    @classmethod
    def _normalise_tags(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            _refuse_unstorable(tag)
        cleaned = list(dict.fromkeys(t.strip().lower() for t in tags if t.strip()))
        if len(cleaned) > MAX_TAGS:
            raise ValueError(f"at most {MAX_TAGS} tags")
        if any(len(tag) > 64 for tag in cleaned):
            raise ValueError("a tag is at most 64 characters")
        return cleaned

    @field_validator("metadata")
    @classmethod
    def _bounded_metadata(cls, metadata: dict[str, Any]) -> dict[str, Any]:
        # Shape first, iteratively: serialising an over-deep value to measure it would recurse.
        _check_metadata_shape(metadata)
        size = len(json.dumps(metadata, ensure_ascii=False, separators=(",", ":")).encode())
        if size > MAX_METADATA_BYTES:
            raise ValueError(f"metadata is at most {MAX_METADATA_BYTES} bytes of JSON")
        return metadata

    def authored_by(self, actor: str) -> "NewContent":
        """This content, with `actor` as its author unless it names one itself. ValueError when
        it names none and `actor` is no valid author id (a JWT subject with spaces, say)."""
        if self.author_id is not None:
            return self
        if not _AUTHOR_ID.fullmatch(actor):
            raise ValueError("the caller's identity is not a valid author_id (printable ASCII)")
        return self.model_copy(update={"author_id": actor})

    def to_item(self, content_id: UUID, tenant_id: UUID, created_at: datetime) -> ContentItem:
        """The stored form: a pending item of `tenant_id`. Its author must be known by now."""
        if self.author_id is None:
            raise ValueError("content without an author: call authored_by first")
        return ContentItem(
            id=content_id,
            tenant_id=tenant_id,
            author_id=self.author_id,
            title=self.title,
            body=self.body,
            content_type=self.content_type,
            language=self.language,
            tags=self.tags,
            metadata=self.metadata,
            created_at=created_at,
        )


def content_created(item: ContentItem) -> DomainEvent:
    """The `ContentCreated` event announcing a newly stored item (same payload whether it came
    from the API or an import)."""
    return DomainEvent(
        event_id=uuid.uuid4(),
        event_type=WebhookEventType.CONTENT_CREATED.value,
        tenant_id=item.tenant_id,
        aggregate_id=item.id,
        occurred_at=item.created_at,
        payload={
            "content_id": str(item.id),
            "author_id": item.author_id,
            "content_type": str(item.content_type),
            "tags": item.tags,
        },
    )


def _refuse_unstorable(text: str) -> None:
    problem = unstorable(text)
    if problem is not None:
        raise ValueError(problem[1])


def _check_metadata_shape(metadata: dict[str, Any]) -> None:
    keys = 0
    stack: list[tuple[object, int]] = [(metadata, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_METADATA_DEPTH:
                raise ValueError(f"metadata is at most {MAX_METADATA_DEPTH} levels deep")
            if isinstance(value, dict):
                keys += len(value)
                if keys > MAX_METADATA_KEYS:
                    raise ValueError(f"metadata has at most {MAX_METADATA_KEYS} keys in all")
                for key in value:
                    _refuse_unstorable(str(key))
                children = list(value.values())
            else:
                children = value
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(value, str):
            _refuse_unstorable(value)
        elif isinstance(value, float) and not math.isfinite(value):
            # JSON has no NaN or Infinity: PostgreSQL's jsonb refuses them, and reads would fail.
            raise ValueError("metadata numbers must be finite")
        elif value is not None and not isinstance(value, bool | int | float):
            raise ValueError("metadata holds only JSON values")
