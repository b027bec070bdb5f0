import uuid
from datetime import timedelta
from uuid import UUID

from moderation.domain.models import (
    AuthorAction,
    ContentItem,
    DomainEvent,
    ModerationReason,
    ModerationStatus,
    WebhookEventType,
)
from moderation.domain.repositories import EventRepository, StrikeRepository
from moderation.domain.services.policy_service import PolicyService

# Reasons that say the engine could not judge, not that the author did wrong.
_NO_STRIKE = {ModerationReason.UNSUPPORTED_LANGUAGE, ModerationReason.RULES_INCOMPLETE}


class StrikeService:
    """Strikes against authors and the policy's strike rules, applied to each decision as it is
    recorded (engine or reviewer, in the decision's transaction): a rejection gives the author
    a strike per reason; a rejection that is overturned or re-decided loses its strikes. When a
    new strike brings an author's active strikes for a rule's reason, within its window, to the
    rule's count, the action is recorded and `AuthorActionRecommended` emitted."""

    def __init__(
        self, strikes: StrikeRepository, events: EventRepository, policies: PolicyService
    ) -> None:
        self._strikes = strikes
        self._events = events
        self._policies = policies

    async def on_decision(
        self, item: ContentItem, previous: ModerationStatus, actor: str
    ) -> list[AuthorAction]:
        """Apply the decision now recorded on `item` (which was `previous` before it)."""
        at = item.moderated_at or item.created_at
        if item.moderation_status != ModerationStatus.REJECTED:
            if previous == ModerationStatus.REJECTED:
                await self._strikes.remove_for_content(item.tenant_id, item.id, at, actor)
            return []
        reasons = [str(r) for r in item.moderation_reasons if r not in _NO_STRIKE]
        # A rejection confirmed again keeps its strikes (ON CONFLICT in `add`), so that a
        # rule is not fired twice by one item.
        added = await self._strikes.add(item.tenant_id, item.author_id, item.id, reasons, at)
        if not added:
            return []
        policy = await self._policies.current(item.tenant_id)
        fired: list[AuthorAction] = []
        for rule in policy.policy.strike_rules:
            if str(rule.reason) not in added:
                continue
            since = at - timedelta(days=rule.window_days)
            evidence = await self._strikes.active(
                item.tenant_id, item.author_id, str(rule.reason), since
            )
            # Fires on the crossing only, so that every further strike does not repeat it.
            if len(evidence) != rule.count:
                continue
            action = AuthorAction(
                id=uuid.uuid4(),
                tenant_id=item.tenant_id,
                author_id=item.author_id,
                rule_id=rule.id,
                action=rule.action,
                reason=str(rule.reason),
                strikes=len(evidence),
                evidence=[str(content_id) for content_id in evidence],
                created_at=at,
            )
            await self._strikes.add_action(action)
            await self._event(item.id, action, rule.window_days, policy.version)
            fired.append(action)
        return fired

    async def _event(
        self, content_id: UUID, action: AuthorAction, window_days: int, version: int
    ) -> None:
        await self._events.add(
            DomainEvent.about(
                WebhookEventType.AUTHOR_ACTION_RECOMMENDED.value,
                action.tenant_id,
                content_id,
                action.created_at,
                {
                    "author_id": action.author_id,
                    "action": action.action,
                    "rule_id": action.rule_id,
                    "reason": action.reason,
                    "strikes": action.strikes,
                    "window_days": window_days,
                    "evidence": action.evidence,
                    "policy_version": version,
                },
            )
        )
