import uuid
from datetime import UTC, datetime
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
    WebhookEventType,
    content_created,
)
from moderation.domain.repositories import (
    AuditRepository,
    ContentRepository,
    EventRepository,
    IdempotencyRepository,
)


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
    ) -> None:
        self._content = content
        self._audit = audit
        self._events = events
        self._idempotency = idempotency

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
        """Record a reviewer's decision; it overrides the engine's and is audited."""
        if decision.status == ModerationStatus.PENDING:
            raise InvalidRequestError("a decision must be approved, flagged or rejected")
        item = await self.get(principal, content_id)
        decided = item.decided_by_reviewer(
            principal.actor, decision.status, decision.reasons, datetime.now(UTC)
        )
        await self._content.save_decision(decided)
        entry = AuditEntry.of_reviewer_decision(decided, decision.notes)
        await self._audit.add(entry)
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
