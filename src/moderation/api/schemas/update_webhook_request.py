from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models import WebhookEventType


class UpdateWebhookRequest(BaseModel):
    """Fields to change on an endpoint; omitted ones stay as they are."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"active": False}, {"event_types": ["PolicyChanged"]}]},
    )

    url: str | None = Field(
        default=None,
        min_length=8,
        max_length=2048,
        pattern=r"^https?://\S+$",
        description="A new URL, checked as at registration (public hosts only, no credentials).",
    )
    event_types: list[WebhookEventType] | None = Field(
        default=None,
        max_length=len(WebhookEventType),
        description="Events to deliver; empty means every type.",
    )
    active: bool | None = Field(
        default=None,
        description="A disabled endpoint receives nothing; its deliveries wait until it is "
        "enabled again (within their 24 h retry window).",
    )
    description: str | None = Field(default=None, max_length=500)
