from moderation.core.polling_loop import PollingLoop
from moderation.domain.services import TextScorer, Transactions
from moderation.infrastructure.metrics import ServiceMetrics
from moderation.workers.moderation_runtime import pending_moderation


class InProcessWorker(PollingLoop):
    """Auto-moderates pending content inside the API process (the embedded default): a polling
    loop around `PendingModeration.moderate_due` (claim, score, decide, retry), woken when new
    items are committed. The Celery `moderate_content` task runs the same use case."""

    def __init__(
        self,
        transactions: Transactions,
        scorer: TextScorer,
        *,
        batch_size: int = 32,
        poll_seconds: float = 1.0,
        lease_seconds: float = 60.0,
        base_backoff_seconds: float = 1.0,
        metrics: ServiceMetrics | None = None,
    ) -> None:
        super().__init__("auto-moderation-worker", poll_seconds)

        async def loaded() -> TextScorer:
            return scorer

        self._moderation = pending_moderation(
            transactions,
            loaded,
            batch_size=batch_size,
            lease_seconds=lease_seconds,
            base_backoff_seconds=base_backoff_seconds,
            metrics=metrics,
        )
        self._batch_size = batch_size
        self._metrics = metrics

    async def _cycle(self) -> bool:
        return await self.run_once() >= self._batch_size

    def _cycle_failed(self, error: Exception, failures: int) -> float | None:
        if self._metrics is not None:
            self._metrics.count_worker_failure()
        return super()._cycle_failed(error, failures)

    async def run_once(self) -> int:
        """Claim, score and decide one batch; returns how many items it claimed."""
        return await self._moderation.moderate_due()
