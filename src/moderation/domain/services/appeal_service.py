import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

from moderation.core.exceptions import (
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
)
from moderation.domain.models import (
    ENGINE_ACTOR,
    AppealStatus,
    AuditEntry,
    ContentAppeal,
    ContentItem,
    DomainEvent,
    HumanDecision,
    ModerationStatus,
    Principal,
    WebhookEventType,
)
from moderation.domain.repositories import (
    AppealRepository,
    AuditRepository,
    EventRepository,
    ReviewRepository,
)
from moderation.domain.services.content_service import ContentService

# An upheld appeal's audit entry is written under the reviewer's claim, as a decision is.
_DECISION_CLAIM = timedelta(seconds=60)


class AppealService:
    """Authors' appeals against rejections: filed within the appeal window, one open per
    item, and decided by a reviewer other than the one whose decision is contested. An
    overturned appeal re-decides the item (audited as a reviewer decision); an upheld one is
    audited too, with the item unchanged."""

    def __init__(
        self,
        content: ContentService,
        review: ReviewRepository,
        appeals: AppealRepository,
        audit: AuditRepository,
        events: EventRepository,
        *,
        window: timedelta,
    ) -> None:
        self._content = content
        self._review = review
        self._appeals = appeals
        self._audit = audit
        self._events = events
        self._window = window

    async def appeal(
        self, principal: Principal, content_id: UUID, *, author_id: str, statement: str
    ) -> ContentAppeal:
        """File the author's appeal; 409 when the item is not rejected, the window has
        closed, or an appeal is open already; 403 when `author_id` is not the item's author."""
        item = await self._content.get(principal, content_id)
        now = datetime.now(UTC)
        if item.moderation_status != ModerationStatus.REJECTED:
            raise ConflictError(
                f"only a rejected item can be appealed; this one is {item.moderation_status}"
            )
        if item.author_id != author_id:
            raise ForbiddenError("only the item's author may appeal its rejection")
        decided_at = item.moderated_at or item.created_at
        if now - decided_at > self._window:
            closed = (decided_at + self._window).isoformat()
            raise ConflictError(f"the appeal window of {self._window.days} days closed {closed}")
        appeal = ContentAppeal(
            id=uuid.uuid4(),
            tenant_id=item.tenant_id,
            content_id=item.id,
            author_id=author_id,
            statement=statement,
            appealed_status=item.moderation_status,
            appealed_actor=item.moderated_by or ENGINE_ACTOR,
            created_at=now,
        )
        if not await self._appeals.add_open(appeal):
            raise ConflictError("an appeal on this item is open already")
        await self._review.mark_appealed(item.tenant_id, item.id, now)
        await self._event(
            WebhookEventType.APPEAL_RECEIVED,
            item,
            now,
            {
                "appeal_id": str(appeal.id),
                "content_id": str(item.id),
                "author_id": author_id,
                "appealed_actor": appeal.appealed_actor,
            },
        )
        return appeal

    async def appeals(self, principal: Principal, content_id: UUID) -> list[ContentAppeal]:
        """Every appeal on the item, newest first."""
        item = await self._content.get(principal, content_id)
        return await self._appeals.list_for_content(item.tenant_id, item.id)

    async def decide(
        self,
        principal: Principal,
        content_id: UUID,
        appeal_id: UUID,
        *,
        outcome: AppealStatus,
        notes: str | None = None,
        new_status: ModerationStatus = ModerationStatus.APPROVED,
    ) -> tuple[ContentAppeal, ContentItem]:
        """Decide an open appeal: `upheld` keeps the rejection, `overturned` re-decides the item
        as `new_status` (approved or flagged). 403 for the reviewer who made the contested
        decision; 409 when the appeal is decided already or another reviewer holds the item."""
        if outcome == AppealStatus.OPEN:
            raise InvalidRequestError("an appeal's outcome is upheld or overturned")
        if outcome == AppealStatus.OVERTURNED and new_status not in (
            ModerationStatus.APPROVED,
            ModerationStatus.FLAGGED,
        ):
            raise InvalidRequestError("an overturned rejection becomes approved or flagged")
        appeal = await self._appeals.get(principal.tenant_id, appeal_id)
        if appeal is None or appeal.content_id != content_id:
            raise NotFoundError(f"appeal {appeal_id} not found on content {content_id}")
        if principal.actor == appeal.appealed_actor:
            raise ForbiddenError(
                "the reviewer who made the appealed decision may not decide its appeal"
            )
        now = datetime.now(UTC)
        if not await self._appeals.decide(
            appeal.tenant_id, appeal.id, outcome, principal.actor, now, notes
        ):
            raise ConflictError("this appeal was decided already")
        why = f"appeal {appeal.id} {outcome}" + (f": {notes}" if notes else "")
        if outcome == AppealStatus.OVERTURNED:
            item, _ = await self._content.decide(
                principal, content_id, HumanDecision(status=new_status, reasons=[], notes=why)
            )
        else:
            item = await self._uphold(principal, content_id, why, now)
        await self._review.mark_appealed(item.tenant_id, item.id, None)
        await self._event(
            WebhookEventType.APPEAL_DECIDED,
            item,
            now,
            {
                "appeal_id": str(appeal.id),
                "content_id": str(item.id),
                "outcome": str(outcome),
                "decided_by": principal.actor,
                "appealed_actor": appeal.appealed_actor,
                "content_status": str(item.moderation_status),
            },
        )
        decided = appeal.model_copy(
            update={
                "status": outcome,
                "decided_at": now,
                "decided_by": principal.actor,
                "decision_notes": notes,
            }
        )
        return decided, item

    async def _uphold(
        self, principal: Principal, content_id: UUID, why: str, now: datetime
    ) -> ContentItem:
        if not await self._review.claim(
            principal.tenant_id, content_id, principal.actor, now, now + _DECISION_CLAIM
        ):
            item = await self._content.get(principal, content_id)
            raise ConflictError(f"this item is claimed by {item.claimed_by}")
        item = await self._content.get(principal, content_id)
        await self._audit.add(
            AuditEntry(
                id=uuid.uuid4(),
                tenant_id=item.tenant_id,
                content_id=item.id,
                source="human",
                actor=principal.actor,
                status=item.moderation_status,
                score=item.moderation_score,
                confidence=1.0,
                reasons=item.moderation_reasons,
                notes=why,
                created_at=now,
            )
        )
        await self._review.release(item.tenant_id, item.id, principal.actor)
        return item.model_copy(update={"claimed_by": None, "claimed_until": None})

    async def _event(
        self, kind: WebhookEventType, item: ContentItem, at: datetime, payload: dict[str, object]
    ) -> None:
        await self._events.add(DomainEvent.about(kind.value, item.tenant_id, item.id, at, payload))
