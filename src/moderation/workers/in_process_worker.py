import asyncio
import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import Category, ContentItem
from moderation.domain.services import AutoModerationService, PolicyService, TextScorer
from moderation.infrastructure.database import Database
from moderation.infrastructure.metrics import ServiceMetrics
from moderation.infrastructure.repositories import (
    OUTBOX_EVENTS_FLAG,
    SqlAuditRepository,
    SqlContentRepository,
    SqlEventRepository,
    SqlPolicyRepository,
)
from moderation.workers.moderation_spans import decide_span, score_in_span
from moderation.workers.polling_loop import PollingLoop

log = structlog.get_logger(__name__)

_MAX_BACKOFF_SECONDS = 300.0


class InProcessWorker(PollingLoop):
    """Auto-moderates pending content inside the API process (the embedded default).

    The database is the queue: a pending item carries the time of its next attempt. A batch is
    claimed (leased) in one transaction, scored outside any transaction, and decided in another,
    so a crash at any point leaves the items pending, and their lease expires and they are
    retried. A failed attempt backs off exponentially with jitter but is never dropped or
    approved: content stays `pending` until the engine or a human decides it.
    """

    def __init__(
        self,
        database: Database,
        scorer: TextScorer,
        *,
        batch_size: int = 32,
        poll_seconds: float = 1.0,
        lease_seconds: float = 60.0,
        base_backoff_seconds: float = 1.0,
        metrics: ServiceMetrics | None = None,
        on_events_committed: Callable[[], None] | None = None,
    ) -> None:
        super().__init__("auto-moderation-worker", poll_seconds)
        self._database = database
        # Decisions write ContentModerated events: wake the outbox relay after each commit.
        self._on_events_committed = on_events_committed
        self._scorer = scorer
        self._batch_size = batch_size
        self._lease = timedelta(seconds=lease_seconds)
        self._base_backoff = base_backoff_seconds
        self._metrics = metrics

    async def _cycle(self) -> bool:
        return await self.run_once() >= self._batch_size

    def _cycle_failed(self) -> None:
        if self._metrics is not None:
            self._metrics.count_worker_failure()

    async def run_once(self) -> int:
        """Claim, score and decide one batch; returns how many items it claimed."""
        now = datetime.now(UTC)
        async with self._database.transaction() as session:
            content = SqlContentRepository(session)
            items = await content.claim_due(now, self._batch_size, now + self._lease)
            if self._metrics is not None:
                self._metrics.set_queue_depth(await content.pending_count())
        if not items:
            return 0
        # One tenant's failure (a bad policy, say) must not hold back another tenant's items.
        groups: dict[object, list[ContentItem]] = {}
        for item in items:
            groups.setdefault(item.tenant_id, []).append(item)
        for group in groups.values():
            await self._moderate(group)
        return len(items)

    async def _moderate(self, items: list[ContentItem]) -> None:
        try:
            async with self._database.transaction(write=False) as session:
                scored = await score_in_span(self._service(session), items)
            async with self._database.transaction() as session:
                applied = await self._service(session).apply_many(
                    [(item, *outcome) for item, outcome in zip(items, scored, strict=True)],
                    scope=decide_span,
                )
            if self._metrics is not None:
                for decided, _, result in applied:
                    self._metrics.record_decision(
                        "engine",
                        str(decided.moderation_status),
                        [str(r) for r in result.reasons],
                        _flagged_categories(result.scores),
                    )
            if session.info.pop(OUTBOX_EVENTS_FLAG, False) and self._on_events_committed:
                self._on_events_committed()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.exception("worker.batch_failed", items=len(items))
            if self._metrics is not None:
                self._metrics.count_worker_failure()
            await self._defer(items, error)

    async def _defer(self, items: list[ContentItem], error: Exception) -> None:
        now = datetime.now(UTC)
        async with self._database.transaction() as session:
            content = SqlContentRepository(session)
            for item in items:
                attempts = await content.attempts(item.id)
                delay = min(_MAX_BACKOFF_SECONDS, self._base_backoff * 2.0 ** min(attempts, 16))
                delay *= random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
                await content.defer(item.id, now + timedelta(seconds=delay), repr(error))

    def _service(self, session: AsyncSession) -> AutoModerationService:
        events = SqlEventRepository(session)
        return AutoModerationService(
            SqlContentRepository(session),
            SqlAuditRepository(session),
            events,
            PolicyService(SqlPolicyRepository(session), events),
            self._scorer,
        )


def _flagged_categories(scores: Mapping[Category, float]) -> list[str]:
    # Reported against the seed's default flag line: per-tenant thresholds would make the
    # metric's meaning differ between tenants.
    return [str(category) for category, value in scores.items() if value >= 0.3]
