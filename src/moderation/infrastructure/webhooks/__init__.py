"""Webhooks: deliveries made from relayed events, signed, sent and retried."""

from moderation.infrastructure.webhooks.delivery_slots import DeliverySlots
from moderation.infrastructure.webhooks.retry_schedule import RetrySchedule
from moderation.infrastructure.webhooks.webhook_deliverer import WebhookDeliverer
from moderation.infrastructure.webhooks.webhook_event_sink import WebhookEventSink
from moderation.infrastructure.webhooks.webhook_signer import (
    DEFAULT_TOLERANCE_SECONDS,
    DELIVERY_ATTEMPT_HEADER,
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    SIGNATURE_VERSION,
    WebhookSigner,
)

__all__ = [
    "DEFAULT_TOLERANCE_SECONDS",
    "DELIVERY_ATTEMPT_HEADER",
    "EVENT_ID_HEADER",
    "EVENT_TYPE_HEADER",
    "SIGNATURE_HEADER",
    "SIGNATURE_VERSION",
    "DeliverySlots",
    "RetrySchedule",
    "WebhookDeliverer",
    "WebhookEventSink",
    "WebhookSigner",
]
