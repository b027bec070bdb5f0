from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import ContentItem, ModerationStatus, Page, QueueAssignment, QueueKind
from moderation.infrastructure.database.tables import ContentRow
from moderation.infrastructure.database.tracked_session import effects_of
from moderation.infrastructure.repositories.sql_content_repository import content_from_row


class SqlReviewRepository:
    """Claims and report counts on `content_items`, each change one conditional UPDATE: on
    PostgreSQL a second claimer waits for the first one's row lock and then sees its claim, on
    SQLite writers take turns; either way exactly one wins."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(
        self, tenant_id: UUID, content_id: UUID, actor: str, now: datetime, until: datetime
    ) -> bool:
        result = await self._session.execute(
            update(ContentRow)
            .where(
                ContentRow.tenant_id == tenant_id,
                ContentRow.id == content_id,
                or_(
                    ContentRow.claimed_by.is_(None),
                    ContentRow.claimed_by == actor,
                    ContentRow.claimed_until <= now,
                ),
            )
            .values(claimed_by=actor, claimed_until=until)
        )
        return self._changed(result, tenant_id, content_id)

    async def release(self, tenant_id: UUID, content_id: UUID, actor: str | None) -> bool:
        condition = [
            ContentRow.tenant_id == tenant_id,
            ContentRow.id == content_id,
            ContentRow.claimed_by.is_not(None),
        ]
        if actor is not None:
            condition.append(ContentRow.claimed_by == actor)
        result = await self._session.execute(
            update(ContentRow).where(*condition).values(claimed_by=None, claimed_until=None)
        )
        return self._changed(result, tenant_id, content_id)

    async def count_report(self, tenant_id: UUID, content_id: UUID, at: datetime) -> None:
        result = await self._session.execute(
            update(ContentRow)
            .where(ContentRow.tenant_id == tenant_id, ContentRow.id == content_id)
            .values(
                open_reports=ContentRow.open_reports + 1,
                reported_at=func.coalesce(ContentRow.reported_at, at),
            )
        )
        self._changed(result, tenant_id, content_id)

    async def clear_reports(self, tenant_id: UUID, content_id: UUID) -> None:
        result = await self._session.execute(
            update(ContentRow)
            .where(
                ContentRow.tenant_id == tenant_id,
                ContentRow.id == content_id,
                ContentRow.open_reports > 0,
            )
            .values(open_reports=0, reported_at=None)
        )
        self._changed(result, tenant_id, content_id)

    async def mark_appealed(self, tenant_id: UUID, content_id: UUID, at: datetime | None) -> None:
        result = await self._session.execute(
            update(ContentRow)
            .where(ContentRow.tenant_id == tenant_id, ContentRow.id == content_id)
            .values(appealed_at=at)
        )
        self._changed(result, tenant_id, content_id)

    async def queue(
        self,
        tenant_id: UUID,
        *,
        kind: QueueKind,
        assignment: QueueAssignment,
        actor: str,
        now: datetime,
        page: int,
        size: int,
    ) -> Page[ContentItem]:
        flagged = ContentRow.status == str(ModerationStatus.FLAGGED)
        reported = ContentRow.open_reports > 0
        appealed = ContentRow.appealed_at.is_not(None)
        waiting = {
            QueueKind.FLAGGED: flagged,
            QueueKind.REPORTED: reported,
            QueueKind.APPEALED: appealed,
        }.get(kind, or_(flagged, reported, appealed))
        query: Select[ContentRow] = select(ContentRow).where(
            ContentRow.tenant_id == tenant_id, waiting
        )
        held = and_(ContentRow.claimed_by.is_not(None), ContentRow.claimed_until > now)
        if assignment == QueueAssignment.ME:
            query = query.where(held, ContentRow.claimed_by == actor)
        elif assignment == QueueAssignment.UNASSIGNED:
            query = query.where(~held)
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(
                ContentRow.open_reports.desc(),
                # NULL scores (never scored) last on both databases.
                ContentRow.score.is_(None),
                ContentRow.score.desc(),
                func.coalesce(
                    ContentRow.reported_at, ContentRow.appealed_at, ContentRow.created_at
                ),
                ContentRow.id,
            )
            .limit(size)
            .offset((page - 1) * size)
        )
        return Page[ContentItem](
            items=[content_from_row(row) for row in rows], total=total or 0, page=page, size=size
        )

    def _changed(self, result: object, tenant_id: UUID, content_id: UUID) -> bool:
        changed = bool(getattr(result, "rowcount", 0))
        if changed:
            # The item's cached reading (GET /content/{id}) shows its claim and reports.
            effects_of(self._session).content_changed(tenant_id, content_id)
        return changed
