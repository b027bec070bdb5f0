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

    async def moderate(self, content_ids: list[UUID]) -> int:
        """Decide those of `content_ids` still pending; returns how many were decided."""
        database = self._context.database
        now = datetime.now(UTC)
        async with database.transaction() as session:
            items = await SqlContentRepository(session).claim(content_ids, now + self._lease)
        if not items:
            return 0
        groups: dict[UUID, list[ContentItem]] = {}
        for item in items:
            groups.setdefault(item.tenant_id, []).append(item)
        decided = 0
        failure: Exception | None = None
        # One tenant's failure (a broken policy, say) must not hold back another tenant's items.
        for group in groups.values():
            try:
                decided += await self._decide(group)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("moderate_content.failed", items=len(group), error=repr(error))
                if self._context.metrics is not None:
                    self._context.metrics.count_worker_failure()
                await self._defer(group, error)
                failure = failure or error
        if failure is not None:
            raise failure
        return decided

    async def _decide(self, items: list[ContentItem]) -> int:
        scorer = await self._context.scorer()
        database = self._context.database
        async with database.transaction(write=False) as session:
            scored = await auto_moderation_service(session, scorer).score(items)
        decided = 0
        async with database.transaction() as session:
            service = auto_moderation_service(session, scorer)
            for item, (result, policy_version, elapsed_ms) in zip(items, scored, strict=True):
                applied = await service.apply(item, result, policy_version, elapsed_ms)
                if applied is None:
                    continue
                decided += 1
                if self._context.metrics is not None:
                    self._context.metrics.record_decision(
                        "engine",
                        str(applied[0].moderation_status),
                        [str(r) for r in result.reasons],
                        _flagged_categories(result.scores),
                    )
        return decided

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
