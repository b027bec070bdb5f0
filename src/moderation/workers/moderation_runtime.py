"""The auto-moderation use case as both runtimes run it: on the process's storage, with the
workers' tracing spans and the content retry backoff."""

from moderation.core.backoff import Backoff
from moderation.domain.services import (
    ModerationMetrics,
    PendingModeration,
    TransactionalModerationUnits,
    Transactions,
)
from moderation.domain.services.pending_moderation import ScorerProvider
from moderation.workers.moderation_spans import decide_span, score_span

# A deferred item waits at most this long for its next attempt.
MAX_CONTENT_BACKOFF_SECONDS = 300.0


def pending_moderation(
    transactions: Transactions,
    scorer: ScorerProvider,
    *,
    batch_size: int,
    lease_seconds: float,
    base_backoff_seconds: float,
    metrics: ModerationMetrics | None = None,
) -> PendingModeration:
    """`PendingModeration` on `transactions`, scoring with what `scorer` provides."""
    return PendingModeration(
        TransactionalModerationUnits(transactions),
        scorer,
        batch_size=batch_size,
        lease_seconds=lease_seconds,
        # Between a half and the whole delay: retries of one failed batch spread out.
        backoff=Backoff(
            base_backoff_seconds, MAX_CONTENT_BACKOFF_SECONDS, jitter=0.5, max_exponent=16
        ),
        metrics=metrics,
        score_scope=score_span,
        decide_scope=decide_span,
    )
