from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models import WebhookEventType


class CreateWebhookRequest(BaseModel):
    """A receiver for the tenant's events."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://hooks.example.com/monocto",
                    "event_types": ["ContentModerated", "ContentDecided"],
                    "description": "Hide rejected comments in the forum",
                }
            ]
        },
    )

    url: str = Field(
        min_length=8,
        max_length=2048,
        pattern=r"^https?://\S+$",
        description="Absolute http:// or https:// URL; events are POSTed to it. Its host must "
        "be (or resolve only to) public addresses, and it carries no user:password@.",
    )
    event_types: list[WebhookEventType] = Field(
        default_factory=list,
        max_length=len(WebhookEventType),
        description="Events to deliver; empty (the default) means every type.",
    )
    description: str = Field(default="", max_length=500)
    secret: str | None = Field(
        default=None,
        min_length=16,
        max_length=200,
        description="Signing secret to use; omit it to have one generated (and shown once).",
    )
