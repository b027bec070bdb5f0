from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.webhook_response import WEBHOOK_EXAMPLE, WebhookResponse


class WebhookListResponse(BaseModel):
    """The tenant's endpoints, oldest first."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [WEBHOOK_EXAMPLE]}]})

    items: list[WebhookResponse]
