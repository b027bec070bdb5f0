import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from uuid import UUID

import structlog

from moderation.core.backoff import Backoff
from moderation.domain.models import Category, ContentItem
from moderation.domain.services.auto_moderation_service import DecisionScope
from moderation.domain.services.moderation_metrics import ModerationMetrics
from moderation.domain.services.moderation_units import ModerationUnits
from moderation.domain.services.text_scorer import TextScorer

log = structlog.get_logger(__name__)

# What a batch's scoring runs within (the workers' tracing span), entered with the batch.
ScoreScope = Callable[[list[ContentItem]], AbstractContextManager[object]]
ScorerProvider = Callable[[], Awaitable[TextScorer]]

# Reported against the seed's default flag line: per-tenant thresholds would make the metric's
# meaning differ between tenants.
_FLAG_LINE = 0.3


class PendingModeration:
    """Auto-moderation of pending content: the one claim → score → decide → retry flow that the
    embedded worker and the Celery `moderate_content` task both run; they differ only in how
    they learn that there is work (a wake-up, a task).

    The database is the queue: a pending item carries the time of its next attempt. A batch is
    leased in one transaction, scored outside any, and decided in another with a compare-and-set
    on `pending` (a reviewer who decided meanwhile wins), with its audit entries and events. A
    failed attempt is deferred with backoff but never dropped or approved: content stays
    `pending` until the engine or a human decides it. One tenant's failure (a broken policy,
    say) does not hold back another tenant's items.
    """

    def __init__(
        self,
        units: ModerationUnits,
        scorer: ScorerProvider,
        *,
        batch_size: int,
        lease_seconds: float,
        backoff: Backoff,
        metrics: ModerationMetrics | None = None,
        score_scope: ScoreScope | None = None,
        decide_scope: DecisionScope | None = None,
    ) -> None:
        self._units = units
        self._scorer = scorer
        self._batch_size = batch_size
        self._lease = timedelta(seconds=lease_seconds)
        self._backoff = backoff
        self._metrics = metrics
        self._score_scope = score_scope
        self._decide_scope = decide_scope

    async def moderate_due(self) -> int:
        """Claim, score and decide one batch of due items; returns how many it claimed."""
        now = datetime.now(UTC)
        async with self._units.content() as content:
            items = await content.claim_due(now, self._batch_size, now + self._lease)
            if self._metrics is not None:
                self._metrics.set_queue_depth(await content.pending_count())
        if items:
            await self._moderate(items, set())
        return len(items)

    async def moderate(self, content_ids: Sequence[UUID]) -> int:
        """Decide those of `content_ids` still pending; returns how many of them were decided.
        A redelivered task finds them decided and changes nothing.

        Other due items may be decided along with them; a failure raises (so that the task is
        retried) only when it concerns the given items, since the others are retried on their
        own."""
        now = datetime.now(UTC)
        async with self._units.content() as content:
            items = await content.claim(list(content_ids), now + self._lease)
            # Under load the queue holds a task per item; taking other due items along makes
            # one engine batch and one write transaction of many (their own tasks then find
            # them decided). Only when the task's own items are there: a redelivered or
            # duplicate task stays cheap.
            room = self._batch_size - len(items)
            if items and room > 0:
                items += await content.claim_due(now, room, now + self._lease, unclaimed=True)
        if not items:
            return 0
        own = set(content_ids)
        return len(await self._moderate(items, own) & own)

    async def _moderate(self, items: list[ContentItem], own: set[UUID]) -> set[UUID]:
        groups: dict[UUID, list[ContentItem]] = {}
        for item in items:
            groups.setdefault(item.tenant_id, []).append(item)
        decided: set[UUID] = set()
        failure: Exception | None = None
        for group in groups.values():
            try:
                decided |= await self._decide(group)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("moderation.batch_failed", items=len(group), exc_info=True)
                if self._metrics is not None:
                    self._metrics.count_worker_failure()
                await self._defer(group, error)
                if any(item.id in own for item in group):
                    failure = failure or error
        if failure is not None:
            raise failure
        return decided

    async def _decide(self, items: list[ContentItem]) -> set[UUID]:
        scorer = await self._scorer()
        async with self._units.decisions(scorer, write=False) as service:
            scope = self._score_scope(items) if self._score_scope else nullcontext()
            with scope:
                scored = await service.score(items)
        async with self._units.decisions(scorer) as service:
            applied = await service.apply_many(
                [(item, *outcome) for item, outcome in zip(items, scored, strict=True)],
                scope=self._decide_scope,
            )
        if self._metrics is not None:
            for item, _, result in applied:
                self._metrics.record_decision(
                    "engine",
                    str(item.moderation_status),
                    [str(r) for r in result.reasons],
                    _flagged_categories(result.scores),
                )
        return {item.id for item, _, _ in applied}

    async def _defer(self, items: list[ContentItem], error: Exception) -> None:
        now = datetime.now(UTC)
        async with self._units.content() as content:
            for item in items:
                delay = self._backoff.delay(await content.attempts(item.id))
                await content.defer(item.id, now + timedelta(seconds=delay), repr(error))


def _flagged_categories(scores: Mapping[Category, float]) -> list[str]:
    return [str(category) for category, value in scores.items() if value >= _FLAG_LINE]
