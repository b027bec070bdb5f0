from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.webhook_delivery_response import (
    DELIVERY_EXAMPLE,
    WebhookDeliveryResponse,
)


class WebhookDeliveryPageResponse(BaseModel):
    """One page of an endpoint's delivery log, newest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"items": [DELIVERY_EXAMPLE], "total": 1, "page": 1, "size": 20, "pages": 1}
            ]
        }
    )

    items: list[WebhookDeliveryResponse]
    total: int
    page: int
    size: int
    pages: int
