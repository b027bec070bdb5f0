from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class WebhookEndpoint(BaseModel):
    """A tenant's HTTP(S) receiver for domain events.

    The signing `secret` is kept in clear: the deliverer needs it to compute each HMAC. It is shown
    to the tenant once, when generated, and never listed again.
    """

    model_config = ConfigDict(from_attributes=True, frozen=True)

    id: UUID
    tenant_id: UUID
    url: str
    secret: str = Field(repr=False)
    event_types: tuple[str, ...] = Field(
        default=(), description="Event types delivered; empty means every type."
    )
    active: bool = True
    description: str = ""
    created_at: datetime

    def accepts(self, event_type: str) -> bool:
        """True when this endpoint is active and subscribed to `event_type`."""
        return self.active and (not self.event_types or event_type in self.event_types)
