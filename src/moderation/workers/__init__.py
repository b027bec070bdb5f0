"""Background processing of stored content."""

from moderation.workers.celery_job_queue import CeleryJobQueue
from moderation.workers.coalescing_trigger import CoalescingTrigger
from moderation.workers.in_process_job_queue import InProcessJobQueue
from moderation.workers.in_process_worker import InProcessWorker
from moderation.workers.pending_sweeper import PendingSweeper
from moderation.workers.retry_policy import RetryPolicy
from moderation.workers.webhook_delivery_worker import WebhookDeliveryWorker

__all__ = [
    "CeleryJobQueue",
    "CoalescingTrigger",
    "InProcessJobQueue",
    "InProcessWorker",
    "PendingSweeper",
    "RetryPolicy",
    "WebhookDeliveryWorker",
]
