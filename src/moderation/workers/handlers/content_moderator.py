from uuid import UUID

from moderation.workers.handlers.handler_context import HandlerContext
from moderation.workers.moderation_runtime import pending_moderation


class ContentModerator:
    """Auto-moderates given pending items: the `moderate_content` task, a thin adapter over
    `PendingModeration.moderate` (the in-process worker's use case too). A redelivered task
    finds its items decided and changes nothing; a failure leaves them pending with a
    backed-off due time and raises, so the task is retried."""

    def __init__(self, context: HandlerContext) -> None:
        settings = context.settings
        self._moderation = pending_moderation(
            context.transactions,
            context.scorer,
            batch_size=settings.worker_batch_size,
            lease_seconds=settings.worker_lease_seconds,
            base_backoff_seconds=settings.worker_base_backoff_seconds,
            metrics=context.metrics,
        )

    async def moderate(self, content_ids: list[UUID]) -> int:
        """Decide those of `content_ids` still pending; returns how many of them were decided."""
        return await self._moderation.moderate(content_ids)
