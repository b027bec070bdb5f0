import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

from moderation.core.exceptions import ConflictError, InvalidRequestError, NotFoundError
from moderation.domain.models import (
    AuditEntry,
    ContentItem,
    ContentStats,
    DomainEvent,
    HumanDecision,
    IdempotencyRecord,
    ModerationStatus,
    NewContent,
    Page,
    Principal,
    ReportStatus,
    WebhookEventType,
    content_created,
)
from moderation.domain.repositories import (
    AuditRepository,
    ContentRepository,
    EventRepository,
    IdempotencyRepository,
    ReportRepository,
    ReviewRepository,
)
from moderation.domain.services.strike_service import StrikeService

# A decision holds the item's claim while it is written (released in the same transaction).
_DECISION_CLAIM = timedelta(seconds=60)


class ContentService:
    """Storing content, reading it back, and recording human decisions on it.

    Every method takes the caller's tenant from the `Principal`; an item of another tenant is
    indistinguishable from one that does not exist.
    """

    def __init__(
        self,
        content: ContentRepository,
        audit: AuditRepository,
        events: EventRepository,
        idempotency: IdempotencyRepository,
        *,
        review: ReviewRepository | None = None,
        reports: ReportRepository | None = None,
        strikes: StrikeService | None = None,
    ) -> None:
        self._content = content
        self._audit = audit
        self._events = events
        self._idempotency = idempotency
        self._review = review
        self._reports = reports
        self._strikes = strikes

    async def create(
        self,
        principal: Principal,
        new: NewContent,
        *,
        idempotency_key: str | None = None,
        request_hash: str = "",
    ) -> tuple[ContentItem, bool]:
        """Store `new` as pending; returns (item, replayed). The engine runs after commit.

        Content that names no author is the caller's: its `author_id` is `principal.actor`
        (`key:<key id>` for an API key, `user:<sub>` for a JWT)."""
        tenant_id = principal.tenant_id
        try:
            new = new.authored_by(principal.actor)
        except ValueError as error:
            raise InvalidRequestError(f"author_id is required here: {error}") from None
        if idempotency_key is not None:
            earlier = await self._idempotency.get(tenant_id, idempotency_key)
            if earlier is not None:
                if earlier.request_hash != request_hash:
                    raise ConflictError(
                        "Idempotency-Key was already used with a different request body"
                    )
                return await self.get(principal, UUID(str(earlier.response["id"]))), True
        now = datetime.now(UTC)
        item = new.to_item(uuid.uuid4(), tenant_id, now)
        await self._content.add(item, due_at=now)
        await self._events.add(content_created(item))
        if idempotency_key is not None:
            await self._idempotency.add(
                IdempotencyRecord(
                    tenant_id=tenant_id,
                    key=idempotency_key,
                    request_hash=request_hash,
                    status_code=201,
                    response={"id": str(item.id)},
                    created_at=now,
                )
            )
        return item, False

    async def get(self, principal: Principal, content_id: UUID) -> ContentItem:
        item = await self._content.get(principal.tenant_id, content_id)
        if item is None:
            raise NotFoundError(f"content {content_id} not found")
        return item

    async def search(
        self,
        principal: Principal,
        *,
        status: ModerationStatus | None = None,
        author_id: str | None = None,
        tag: str | None = None,
        page: int = 1,
        size: int = 20,
        oldest_first: bool = False,
    ) -> Page[ContentItem]:
        return await self._content.search(
            principal.tenant_id,
            status=status,
            author_id=author_id,
            tag=tag.strip().lower() if tag else None,
            page=page,
            size=size,
            oldest_first=oldest_first,
        )

    async def stats(self, principal: Principal) -> ContentStats:
        return await self._content.stats(principal.tenant_id)

    async def history(self, principal: Principal, content_id: UUID) -> list[AuditEntry]:
        await self.get(principal, content_id)
        return await self._audit.list_for_content(principal.tenant_id, content_id)

    async def decide(
        self, principal: Principal, content_id: UUID, decision: HumanDecision
    ) -> tuple[ContentItem, AuditEntry]:
        """Record a reviewer's decision; it overrides the engine's and is audited. Another
        reviewer's running claim on the item makes it a 409; the decision ends the caller's
        claim, and approving or rejecting closes the item's open reports."""
        if decision.status == ModerationStatus.PENDING:
            raise InvalidRequestError("a decision must be approved, flagged or rejected")
        now = datetime.now(UTC)
        if self._review is not None:
            # Taken before the item is read: a concurrent decider waits for this one's claim
            # and then reads what it wrote.
            held = await self._review.claim(
                principal.tenant_id, content_id, principal.actor, now, now + _DECISION_CLAIM
            )
            if not held:
                await self._refuse_claimed(principal, content_id, now)
        item = await self.get(principal, content_id)
        decided = item.decided_by_reviewer(principal.actor, decision.status, decision.reasons, now)
        await self._content.save_decision(decided)
        decided = await self._close_review(principal, decided)
        entry = AuditEntry.of_reviewer_decision(decided, decision.notes)
        await self._audit.add(entry)
        if self._strikes is not None:
            await self._strikes.on_decision(decided, item.moderation_status, principal.actor)
        await self._events.add(
            DomainEvent(
                event_id=uuid.uuid4(),
                event_type=WebhookEventType.CONTENT_DECIDED.value,
                tenant_id=item.tenant_id,
                aggregate_id=item.id,
                occurred_at=entry.created_at,
                payload={
                    "content_id": str(item.id),
                    "status": str(decision.status),
                    "reasons": [str(r) for r in decided.moderation_reasons],
                    "actor": principal.actor,
                    "previous_status": str(item.moderation_status),
                },
            )
        )
        return decided, entry

    async def _refuse_claimed(self, principal: Principal, content_id: UUID, now: datetime) -> None:
        item = await self.get(principal, content_id)
        holder = item.holder_other_than(principal.actor, now) or item.claimed_by
        until = item.claimed_until.isoformat() if item.claimed_until else "now"
        raise ConflictError(f"this item is claimed by {holder} until {until}")

    async def _close_review(self, principal: Principal, decided: ContentItem) -> ContentItem:
        if self._review is None:
            return decided
        await self._review.release(decided.tenant_id, decided.id, principal.actor)
        closed = 0
        if self._reports is not None and decided.moderation_status != ModerationStatus.FLAGGED:
            outcome = (
                ReportStatus.ACTIONED
                if decided.moderation_status == ModerationStatus.REJECTED
                else ReportStatus.DISMISSED
            )
            at = decided.moderated_at or decided.created_at
            closed = await self._reports.resolve_open(
                decided.tenant_id, decided.id, outcome, principal.actor, at
            )
            if closed:
                await self._review.clear_reports(decided.tenant_id, decided.id)
        return decided.model_copy(
            update={
                "claimed_by": None,
                "claimed_until": None,
                "open_reports": 0 if closed else decided.open_reports,
            }
        )
