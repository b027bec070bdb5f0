import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

from moderation.core.exceptions import ConflictError, ForbiddenError, NotFoundError
from moderation.domain.models import (
    AuthorHistory,
    ContentClaim,
    ContentItem,
    ContentReport,
    DomainEvent,
    Page,
    Principal,
    QueueAssignment,
    QueueKind,
    ReportReason,
    Scope,
    WebhookEventType,
)
from moderation.domain.repositories import (
    AuthorRepository,
    ContentRepository,
    EventRepository,
    ReportRepository,
    ReviewRepository,
    StrikeRepository,
)

DEFAULT_CLAIM_SECONDS = 600


class ReviewService:
    """The review queue: users' reports on items, reviewers' claims (so two never decide the
    same item), and the queue itself in priority order. Decisions are `ContentService.decide`,
    which honours claims and closes reports."""

    def __init__(
        self,
        content: ContentRepository,
        review: ReviewRepository,
        reports: ReportRepository,
        events: EventRepository,
        authors: AuthorRepository,
        strikes: StrikeRepository | None = None,
    ) -> None:
        self._authors = authors
        self._strikes = strikes
        self._content = content
        self._review = review
        self._reports = reports
        self._events = events

    async def report(
        self,
        principal: Principal,
        content_id: UUID,
        *,
        reporter_id: str,
        reason: ReportReason,
        details: str | None = None,
    ) -> tuple[ContentReport, bool]:
        """File a user's report; returns (report, created). The reporter's open report on the
        item is returned as it is rather than filed twice. Any report puts the item in the
        review queue, approved ones included."""
        item = await self._item(principal, content_id)
        now = datetime.now(UTC)
        report, created = await self._reports.add_open(
            ContentReport(
                id=uuid.uuid4(),
                tenant_id=item.tenant_id,
                content_id=item.id,
                reporter_id=reporter_id,
                reason=reason,
                details=details,
                created_at=now,
            )
        )
        if created:
            await self._review.count_report(item.tenant_id, item.id, now)
            await self._event(
                WebhookEventType.REPORT_RECEIVED,
                item,
                now,
                {
                    "report_id": str(report.id),
                    "content_id": str(item.id),
                    "reporter_id": reporter_id,
                    "reason": str(reason),
                    "dsa_category": reason.dsa_category,
                    "content_status": str(item.moderation_status),
                    "open_reports": item.open_reports + 1,
                },
            )
        return report, created

    async def reports(self, principal: Principal, content_id: UUID) -> list[ContentReport]:
        """Every report on the item, newest first."""
        item = await self._item(principal, content_id)
        return await self._reports.list_for_content(item.tenant_id, item.id)

    async def claim(
        self, principal: Principal, content_id: UUID, seconds: int = DEFAULT_CLAIM_SECONDS
    ) -> ContentClaim:
        """Lease the item to the caller for `seconds` (again: renew it). 409 naming the
        holder while another reviewer's claim runs."""
        now = datetime.now(UTC)
        until = now + timedelta(seconds=seconds)
        if not await self._review.claim(
            principal.tenant_id, content_id, principal.actor, now, until
        ):
            item = await self._item(principal, content_id)
            holder = item.holder_other_than(principal.actor, now) or item.claimed_by
            until_text = item.claimed_until.isoformat() if item.claimed_until else "now"
            raise ConflictError(f"this item is claimed by {holder} until {until_text}")
        item = await self._item(principal, content_id)
        await self._event(
            WebhookEventType.CONTENT_CLAIMED,
            item,
            now,
            {
                "content_id": str(item.id),
                "claimed_by": principal.actor,
                "claimed_until": until.isoformat(),
            },
        )
        return ContentClaim(content_id=item.id, claimed_by=principal.actor, claimed_until=until)

    async def release(self, principal: Principal, content_id: UUID) -> bool:
        """End the caller's claim, or, for a lead (`review:lead`), anyone's. False when
        there was no claim to end; 403 on another reviewer's claim without the lead scope."""
        item = await self._item(principal, content_id)
        now = datetime.now(UTC)
        holder = item.holder_other_than(principal.actor, now)
        lead = principal.has(Scope.REVIEW_LEAD)
        if holder is not None and not lead:
            raise ForbiddenError(
                f"this item is claimed by {holder}: only they or a lead (scope 'review:lead') "
                "may release it"
            )
        if item.claimed_by is None:
            return False
        released = await self._review.release(item.tenant_id, item.id, None)
        if released:
            await self._event(
                WebhookEventType.CLAIM_RELEASED,
                item,
                now,
                {
                    "content_id": str(item.id),
                    "released_by": principal.actor,
                    "holder": item.claimed_by,
                },
            )
        return released

    async def queue(
        self,
        principal: Principal,
        *,
        kind: QueueKind = QueueKind.ALL,
        assignment: QueueAssignment = QueueAssignment.ANY,
        page: int = 1,
        size: int = 20,
    ) -> Page[ContentItem]:
        """Flagged and reported items, the most reported first, then by engine score (highest
        first), then the longest waiting."""
        return await self._review.queue(
            principal.tenant_id,
            kind=kind,
            assignment=assignment,
            actor=principal.actor,
            now=datetime.now(UTC),
            page=page,
            size=size,
        )

    async def author(
        self, principal: Principal, author_id: str, *, recent: int = 10
    ) -> AuthorHistory:
        """The author's history in the caller's tenant (all zeros for an unknown author)."""
        history = await self._authors.history(principal.tenant_id, author_id, recent=recent)
        if self._strikes is None:
            return history
        tenant_id = principal.tenant_id
        return history.model_copy(
            update={
                "strikes": await self._strikes.counts(tenant_id, author_id),
                "actions": await self._strikes.actions(tenant_id, author_id, recent),
            }
        )

    async def _item(self, principal: Principal, content_id: UUID) -> ContentItem:
        item = await self._content.get(principal.tenant_id, content_id)
        if item is None:
            raise NotFoundError(f"content {content_id} not found")
        return item

    async def _event(
        self, kind: WebhookEventType, item: ContentItem, at: datetime, payload: dict[str, object]
    ) -> None:
        await self._events.add(DomainEvent.about(kind.value, item.tenant_id, item.id, at, payload))
