import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from uuid import UUID

from moderation.core.exceptions import ConflictError
from moderation.domain.models import (
    ENGINE_ACTOR,
    AuditEntry,
    ContentItem,
    DomainEvent,
    ModerationResult,
    ModerationStatus,
    Principal,
    WebhookEventType,
)
from moderation.domain.policy import TenantPolicy
from moderation.domain.repositories import AuditRepository, ContentRepository, EventRepository
from moderation.domain.services.policy_service import PolicyService
from moderation.domain.services.strike_service import StrikeService
from moderation.domain.services.text_scorer import TextScorer

# What each engine decision of `apply_many` runs within (the workers' tracing span): entered
# with the item and the engine's result, it yields the trace context, opaque here, that the
# decision's event carries on to its consumers (None: the span writing the event decides).
DecisionScope = Callable[[ContentItem, ModerationResult], AbstractContextManager[str | None]]


class AutoModerationService:
    """Runs the engine on stored content under the tenant's policy and records the outcome."""

    def __init__(
        self,
        content: ContentRepository,
        audit: AuditRepository,
        events: EventRepository,
        policies: PolicyService,
        scorer: TextScorer,
        *,
        strikes: StrikeService | None = None,
    ) -> None:
        self._content = content
        self._audit = audit
        self._events = events
        self._policies = policies
        self._scorer = scorer
        self._strikes = strikes

    async def score(self, items: list[ContentItem]) -> list[tuple[ModerationResult, int, int]]:
        """Engine results for `items`: (result, policy version, processing ms) per item."""
        by_tenant: dict[UUID, list[int]] = defaultdict(list)
        for index, item in enumerate(items):
            by_tenant[item.tenant_id].append(index)
        scored: dict[int, tuple[ModerationResult, int, int]] = {}
        for tenant_id, indices in by_tenant.items():
            policy = await self._policies.current(tenant_id)
            started = time.perf_counter()
            results = await self._scorer.score([items[i].text for i in indices], policy.policy)
            elapsed_ms = round((time.perf_counter() - started) * 1000)
            for index, result in zip(indices, results, strict=True):
                scored[index] = (result, policy.version, elapsed_ms)
        return [scored[i] for i in range(len(items))]

    async def apply(
        self,
        item: ContentItem,
        result: ModerationResult,
        policy_version: int,
        processing_time_ms: int,
        *,
        actor: str = ENGINE_ACTOR,
        only_if_pending: bool = True,
    ) -> tuple[ContentItem, AuditEntry] | None:
        """Record the engine's decision on `item`; None when a human decided it meanwhile."""
        current = await self._content.get(item.tenant_id, item.id)
        if current is None:
            return None
        if only_if_pending and current.moderation_status != ModerationStatus.PENDING:
            return None
        recorded = await self._record(
            current,
            result,
            policy_version,
            processing_time_ms,
            actor,
            only_if_pending=only_if_pending,
        )
        if recorded is None:
            return None
        decided, entry, event = recorded
        await self._audit.add(entry)
        await self._events.add(event)
        if self._strikes is not None:
            await self._strikes.on_decision(decided, current.moderation_status, actor)
        return decided, entry

    async def apply_many(
        self,
        decisions: Sequence[tuple[ContentItem, ModerationResult, int, int]],
        *,
        scope: DecisionScope | None = None,
    ) -> list[tuple[ContentItem, AuditEntry, ModerationResult]]:
        """Record the engine's decisions (item, result, policy version, processing ms) on items
        still pending, as `apply` does one by one, with one read per tenant and one insert each
        for the audit entries and the events; returns the decisions that were recorded. Each
        item's decision runs within `scope(item, result)` when given."""
        by_tenant: dict[UUID, list[UUID]] = defaultdict(list)
        for item, *_ in decisions:
            by_tenant[item.tenant_id].append(item.id)
        current: dict[UUID, ContentItem] = {}
        for tenant_id, ids in by_tenant.items():
            current.update(
                (found.id, found) for found in await self._content.get_many(tenant_id, ids)
            )
        applied: list[tuple[ContentItem, AuditEntry, ModerationResult]] = []
        events: list[DomainEvent] = []
        for item, result, policy_version, elapsed_ms in decisions:
            found = current.get(item.id)
            if found is None or found.moderation_status != ModerationStatus.PENDING:
                continue
            with scope(found, result) if scope is not None else nullcontext() as trace_parent:
                recorded = await self._record(
                    found,
                    result,
                    policy_version,
                    elapsed_ms,
                    ENGINE_ACTOR,
                    only_if_pending=True,
                    trace_parent=trace_parent,
                )
            if recorded is not None:
                applied.append((recorded[0], recorded[1], result))
                events.append(recorded[2])
        await self._audit.add_many([entry for _, entry, _ in applied])
        await self._events.add_many(events)
        if self._strikes is not None:
            for decided, _, _ in applied:
                await self._strikes.on_decision(decided, ModerationStatus.PENDING, ENGINE_ACTOR)
        return applied

    async def _record(
        self,
        current: ContentItem,
        result: ModerationResult,
        policy_version: int,
        processing_time_ms: int,
        actor: str,
        *,
        only_if_pending: bool,
        trace_parent: str | None = None,
    ) -> tuple[ContentItem, AuditEntry, DomainEvent] | None:
        """Save the decision on `current` (as read in this transaction) and build its audit
        entry and event; None when the compare-and-set lost to a concurrent decision."""
        decided = current.decided_by_engine(result, datetime.now(UTC))
        # Compare-and-set: a reviewer who decided between our read and this write wins.
        saved = await self._content.save_decision(
            decided, only_if_status=current.moderation_status if only_if_pending else None
        )
        if not saved:
            return None
        entry = AuditEntry.of_engine_decision(
            decided,
            result,
            actor=actor,
            policy_version=policy_version,
            processing_time_ms=processing_time_ms,
        )
        event = DomainEvent(
            event_id=uuid.uuid4(),
            event_type=WebhookEventType.CONTENT_MODERATED.value,
            tenant_id=current.tenant_id,
            aggregate_id=current.id,
            occurred_at=entry.created_at,
            payload={
                "content_id": str(current.id),
                "status": str(decided.moderation_status),
                "score": result.score,
                "reasons": [str(r) for r in result.reasons],
                "model_version": result.model_version,
                "policy_version": policy_version,
            },
            trace_parent=trace_parent,
        )
        return decided, entry, event

    async def analyze(
        self, principal: Principal, item: ContentItem, *, override_human: bool = False
    ) -> tuple[ContentItem, AuditEntry, TenantPolicy]:
        """Re-run the engine on one item now and record the result.

        A reviewer's decision is not replaced unless `override_human` says so.
        """
        if item.decided_by_human and not override_human:
            raise ConflictError(
                "a reviewer decided this item; pass override_human=true to let the engine "
                "replace that decision"
            )
        policy = await self._policies.current(item.tenant_id)
        started = time.perf_counter()
        [result] = await self._scorer.score([item.text], policy.policy)
        elapsed_ms = round((time.perf_counter() - started) * 1000)
        applied = await self.apply(
            item,
            result,
            policy.version,
            elapsed_ms,
            actor=f"{ENGINE_ACTOR} (requested by {principal.actor})",
            only_if_pending=False,
        )
        if applied is None:  # pragma: no cover - the caller just read the item in this transaction
            raise RuntimeError("content vanished during analysis")
        return applied[0], applied[1], policy
