import asyncio
import contextlib
from datetime import UTC, datetime

import structlog

from moderation.infrastructure.webhooks import WebhookDeliverer

log = structlog.get_logger(__name__)

# How long `stop` waits for the batch in flight (its requests time out after 10 s by default).
_STOP_GRACE_SECONDS = 5.0


class WebhookDeliveryWorker:
    """Runs a `WebhookDeliverer` in the background of this process: a batch whenever deliveries
    are due, polling between (and woken early when the event sink commits new ones).

    Deliveries are claimed with leases in the database, so any number of these (one per API
    replica, or on workers) can run side by side.
    """

    def __init__(
        self, deliverer: WebhookDeliverer, *, batch_size: int = 100, poll_seconds: float = 1.0
    ) -> None:
        self._deliverer = deliverer
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="webhook-delivery-worker")

    def wake(self) -> None:
        """New deliveries were committed: look now rather than at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        """Finish (or, after a grace period, cancel) the batch in flight; close the client."""
        if self._task is not None:
            # A batch interrupted mid-request is safe (its lease expires and it is retried), but
            # cancelling inside a transaction would strand that database connection.
            self._stopping = True
            self._wake.set()
            await asyncio.wait({self._task}, timeout=_STOP_GRACE_SECONDS)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
            self._stopping = False
        await self._deliverer.aclose()

    async def _loop(self) -> None:
        while not self._stopping:
            # Cleared before the batch, so a wake() that arrives during it is not lost.
            self._wake.clear()
            try:
                claimed = await self._deliverer.run_once(self._batch_size)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("webhooks.cycle_failed")
                claimed = 0
            if claimed < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._pause())

    def _pause(self) -> float:
        # A retry this process just scheduled sooner than the next poll is not left waiting.
        retry_at = self._deliverer.next_retry_at
        if retry_at is None:
            return self._poll_seconds
        until = (retry_at - datetime.now(UTC)).total_seconds()
        return min(self._poll_seconds, max(until, 0.0))
