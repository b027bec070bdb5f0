import math

from pydantic import BaseModel, ConfigDict

from moderation.domain.models.webhook_delivery import WebhookDelivery


class WebhookDeliveryPage(BaseModel):
    """One page of an endpoint's delivery log, newest first."""

    model_config = ConfigDict(frozen=True)

    items: list[WebhookDelivery]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.size) if self.size else 0
