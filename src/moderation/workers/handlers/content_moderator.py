import asyncio
import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from uuid import UUID

import structlog

from moderation.domain.models import Category, ContentItem
from moderation.infrastructure.repositories import SqlContentRepository
from moderation.workers.handlers.handler_context import HandlerContext
from moderation.workers.handlers.services import auto_moderation_service
from moderation.workers.moderation_spans import decide_span, score_in_span

log = structlog.get_logger(__name__)

_MAX_BACKOFF_SECONDS = 300.0


class ContentModerator:
    """Auto-moderates given pending items: the `moderate_content` task.

    The same claim → score → decide flow as the in-process worker: the items are leased in one
    transaction, scored outside any, decided in another with a compare-and-set on `pending`. A
    second run (a redelivered task) finds them decided and changes nothing; a failure leaves
    them pending with a backed-off due time and raises, so the task is retried.
    """

    def __init__(self, context: HandlerContext) -> None:
        self._context = context
        self._lease = timedelta(seconds=context.settings.worker_lease_seconds)
        self._batch_size = context.settings.worker_batch_size

    async def moderate(self, content_ids: list[UUID]) -> int:
        """Decide those of `content_ids` still pending; returns how many of them were decided.

        Other due items may be decided along with them (see below); a failure raises only
        when it concerns the task's own items, since the others are retried on their own."""
        database = self._context.database
        now = datetime.now(UTC)
        async with database.transaction() as session:
            content = SqlContentRepository(session)
            items = await content.claim(content_ids, now + self._lease)
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
        groups: dict[UUID, list[ContentItem]] = {}
        for item in items:
            groups.setdefault(item.tenant_id, []).append(item)
        decided: set[UUID] = set()
        failure: Exception | None = None
        # One tenant's failure (a broken policy, say) must not hold back another tenant's items.
        for group in groups.values():
            try:
                decided |= await self._decide(group)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("moderate_content.failed", items=len(group), error=repr(error))
                if self._context.metrics is not None:
                    self._context.metrics.count_worker_failure()
                await self._defer(group, error)
                if any(item.id in own for item in group):
                    failure = failure or error
        if failure is not None:
            raise failure
        return len(decided & own)

    async def _decide(self, items: list[ContentItem]) -> set[UUID]:
        scorer = await self._context.scorer()
        database = self._context.database
        async with database.transaction(write=False) as session:
            scored = await score_in_span(auto_moderation_service(session, scorer), items)
        async with database.transaction() as session:
            applied = await auto_moderation_service(session, scorer).apply_many(
                [(item, *outcome) for item, outcome in zip(items, scored, strict=True)],
                scope=decide_span,
            )
        if self._context.metrics is not None:
            for decided, _, result in applied:
                self._context.metrics.record_decision(
                    "engine",
                    str(decided.moderation_status),
                    [str(r) for r in result.reasons],
                    _flagged_categories(result.scores),
                )
        return {decided.id for decided, _, _ in applied}

    async def _defer(self, items: list[ContentItem], error: Exception) -> None:
        base = self._context.settings.worker_base_backoff_seconds
        now = datetime.now(UTC)
        async with self._context.database.transaction() as session:
            content = SqlContentRepository(session)
            for item in items:
                attempts = await content.attempts(item.id)
                delay = min(_MAX_BACKOFF_SECONDS, base * 2.0 ** min(attempts, 16))
                delay *= random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not security
                await content.defer(item.id, now + timedelta(seconds=delay), repr(error))


def _flagged_categories(scores: Mapping[Category, float]) -> list[str]:
    # The same rule as the in-process worker's metric, so both modes report alike.
    return [str(category) for category, value in scores.items() if value >= 0.3]
