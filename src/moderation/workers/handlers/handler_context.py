from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from moderation.core.config import Settings
from moderation.domain.services import JobQueue, TextScorer, Transactions
from moderation.infrastructure.database import Database
from moderation.infrastructure.metrics import ServiceMetrics

if TYPE_CHECKING:
    from moderation.infrastructure.webhooks import WebhookDeliverer

ScorerProvider = Callable[[], Awaitable[TextScorer]]


@dataclass
class HandlerContext:
    """What a task handler runs with, in the API process or in a Celery worker process; the
    composition root builds it (`moderation.bootstrap.worker_context` for a process of its own).

    Handlers reach storage through `transactions`. `database` is the same storage's pool, kept
    for what is wired on it rather than read through it: the after-commit actions, and the
    webhook deliverer. `scorer` is awaited when a handler needs the engine, so processes that
    only import files or sweep never load a model.
    """

    database: Database
    transactions: Transactions
    settings: Settings
    queue: JobQueue
    scorer: ScorerProvider
    metrics: ServiceMetrics | None = None
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _deliverer: "WebhookDeliverer | None" = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # Items a handler creates (imports) are sent for moderation once committed, through this
        # context's queue unless the process already chose how (the API: the same queue).
        if self.database.after_commit.moderate is None:
            self.database.after_commit.moderate = self.queue.moderate

    def webhook_deliverer(self) -> "WebhookDeliverer":
        """This context's webhook deliverer, made on first use and kept: its HTTP client (TLS
        context, connection pool) is costly to build per task."""
        if self._deliverer is None:
            from moderation.infrastructure.webhooks import WebhookDeliverer

            self._deliverer = WebhookDeliverer.from_settings(
                self.database,
                self.settings,
                on_outcome=self.metrics.count_webhook_delivery if self.metrics else None,
            )
            # Closed before the database (the last closer) that its final writes use.
            self.closers.insert(max(0, len(self.closers) - 1), self._deliverer.aclose)
        return self._deliverer

    async def close(self) -> None:
        """Release what the context's builder opened, in order."""
        for closer in self.closers:
            await closer()
        self.closers.clear()
