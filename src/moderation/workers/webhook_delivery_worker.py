from datetime import UTC, datetime

import structlog

from moderation.core.polling_loop import PollingLoop
from moderation.infrastructure.webhooks import WebhookDeliverer

log = structlog.get_logger(__name__)


class WebhookDeliveryWorker(PollingLoop):
    """Runs a `WebhookDeliverer` in the background of this process: it claims deliveries
    whenever some are due and slots are free, polling between (and woken early when the event
    sink commits new ones, or when a batch in flight finishes and frees its slots).

    A cycle only starts its batch: a slow receiver's requests go on in the background while
    later cycles claim other tenants' deliveries, so they never wait for it.

    Deliveries are claimed with leases in the database, so any number of these (one per API
    replica, or on workers) can run side by side.
    """

    def __init__(
        self, deliverer: WebhookDeliverer, *, batch_size: int = 100, poll_seconds: float = 1.0
    ) -> None:
        super().__init__("webhook-delivery-worker", poll_seconds)
        self._deliverer = deliverer
        self._batch_size = batch_size
        deliverer.on_capacity = self.wake

    async def stop(self) -> None:
        """Stop claiming; finish (or, after a grace period, cancel) the attempts in flight;
        close the client."""
        # An attempt interrupted mid-request is safe: its lease expires and it is retried.
        await super().stop()
        await self._deliverer.aclose()

    async def _cycle(self) -> bool:
        return await self._deliverer.dispatch(self._batch_size) >= self._batch_size

    def _pause(self) -> float:
        # A retry this process just scheduled sooner than the next poll is not left waiting.
        retry_at = self._deliverer.take_next_retry()
        if retry_at is None:
            return self._poll_seconds
        until = (retry_at - datetime.now(UTC)).total_seconds()
        return min(self._poll_seconds, max(until, 0.0))
