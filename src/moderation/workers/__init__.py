"""Background processing of stored content."""

from moderation.workers.in_process_worker import InProcessWorker
from moderation.workers.webhook_delivery_worker import WebhookDeliveryWorker

__all__ = ["InProcessWorker", "WebhookDeliveryWorker"]
