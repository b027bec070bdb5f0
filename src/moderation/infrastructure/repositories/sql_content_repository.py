from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import (
    ContentItem,
    ContentStats,
    ContentType,
    ModerationReason,
    ModerationStatus,
    Page,
)
from moderation.infrastructure.database.tables import ContentRow, ContentTagRow
from moderation.infrastructure.database.tracked_session import effects_of
from moderation.infrastructure.repositories.dialect_insert import dialect_insert
from moderation.infrastructure.telemetry import current_traceparent


class SqlContentRepository:
    """Content on SQLite or PostgreSQL; every read is scoped by tenant in its WHERE clause."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, item: ContentItem, *, due_at: datetime | None) -> None:
        self._session.add(_to_row(item, due_at, current_traceparent()))
        self._session.add_all(
            ContentTagRow(content_id=item.id, tag=tag, tenant_id=item.tenant_id)
            for tag in item.tags
        )
        await self._session.flush()
        if item.moderation_status == ModerationStatus.PENDING:
            effects_of(self._session).content_pending([item.id])

    async def add_new(self, items: list[ContentItem], *, due_at: datetime | None) -> list[UUID]:
        """Store those of `items` whose id is not stored yet, in one statement that skips the
        others (bulk imports: a batch run twice creates nothing twice); returns the ids stored.

        No existence query first: on PostgreSQL, a cached generic plan for `id IN (…)` made on a
        young table degraded to a scan per batch as an import grew it."""
        if not items:
            return []
        statement = (
            dialect_insert(self._session, ContentRow)
            .on_conflict_do_nothing(index_elements=[ContentRow.id])
            .returning(ContentRow.id)
        )
        trace_parent = current_traceparent()
        values = [_row_values(item, due_at, trace_parent) for item in items]
        stored = set(await self._session.scalars(statement, values))
        created = [item for item in items if item.id in stored]
        self._session.add_all(
            ContentTagRow(content_id=item.id, tag=tag, tenant_id=item.tenant_id)
            for item in created
            for tag in item.tags
        )
        await self._session.flush()
        pending = [i.id for i in created if i.moderation_status == ModerationStatus.PENDING]
        if pending:
            effects_of(self._session).content_pending(pending)
        return [item.id for item in created]

    async def get(self, tenant_id: UUID, content_id: UUID) -> ContentItem | None:
        row = await self._session.scalar(
            select(ContentRow).where(ContentRow.tenant_id == tenant_id, ContentRow.id == content_id)
        )
        return _to_domain(row) if row else None

    async def get_many(self, tenant_id: UUID, ids: list[UUID]) -> list[ContentItem]:
        if not ids:
            return []
        rows = await self._session.scalars(
            select(ContentRow).where(ContentRow.tenant_id == tenant_id, ContentRow.id.in_(ids))
        )
        return [_to_domain(row) for row in rows]

    async def save_decision(
        self, item: ContentItem, *, only_if_status: ModerationStatus | None = None
    ) -> bool:
        condition = [ContentRow.tenant_id == item.tenant_id, ContentRow.id == item.id]
        if only_if_status is not None:
            condition.append(ContentRow.status == str(only_if_status))
        result = await self._session.execute(
            update(ContentRow)
            .where(*condition)
            .values(
                status=str(item.moderation_status),
                score=item.moderation_score,
                confidence=item.moderation_confidence,
                reasons=[str(r) for r in item.moderation_reasons],
                moderated_by=item.moderated_by,
                moderated_at=item.moderated_at,
                updated_at=item.updated_at,
                language=item.language,
                next_attempt_at=None,
                last_error=None,
            )
        )
        changed = bool(getattr(result, "rowcount", 0))
        if changed:
            effects_of(self._session).content_changed(item.tenant_id, item.id)
        return changed

    async def search(
        self,
        tenant_id: UUID,
        *,
        status: ModerationStatus | None,
        author_id: str | None,
        tag: str | None,
        page: int,
        size: int,
        oldest_first: bool = False,
    ) -> Page[ContentItem]:
        query: Select[ContentRow] = select(ContentRow).where(ContentRow.tenant_id == tenant_id)
        if status is not None:
            query = query.where(ContentRow.status == str(status))
        if author_id is not None:
            query = query.where(ContentRow.author_id == author_id)
        if tag is not None:
            query = query.where(
                ContentRow.id.in_(
                    select(ContentTagRow.content_id).where(
                        ContentTagRow.tenant_id == tenant_id, ContentTagRow.tag == tag
                    )
                )
            )
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(
                ContentRow.created_at if oldest_first else ContentRow.created_at.desc(),
                ContentRow.id,
            )
            .limit(size)
            .offset((page - 1) * size)
        )
        return Page[ContentItem](
            items=[_to_domain(row) for row in rows], total=total or 0, page=page, size=size
        )

    async def stats(self, tenant_id: UUID) -> ContentStats:
        status_rows = await self._session.execute(
            select(ContentRow.status, func.count())
            .where(ContentRow.tenant_id == tenant_id)
            .group_by(ContentRow.status)
        )
        by_status = {status: int(count) for status, count in status_rows}
        # Reasons are a JSON array per row; each dialect has its own way to unnest one.
        if self._session.get_bind().dialect.name == "postgresql":
            reasons_sql = (
                "SELECT r.value, count(*) FROM content_items "
                "CROSS JOIN LATERAL jsonb_array_elements_text(content_items.reasons) AS r(value) "
                "WHERE content_items.tenant_id = :tenant GROUP BY r.value"
            )
            tenant_param: object = tenant_id
        else:
            reasons_sql = (
                "SELECT r.value, count(*) FROM content_items, "
                "json_each(content_items.reasons) AS r "
                "WHERE content_items.tenant_id = :tenant GROUP BY r.value"
            )
            tenant_param = tenant_id.hex
        rows = await self._session.execute(text(reasons_sql), {"tenant": tenant_param})
        by_reason = {str(reason): int(count) for reason, count in rows}
        return ContentStats(
            total=sum(by_status.values()),
            by_status={str(s): by_status.get(str(s), 0) for s in ModerationStatus},
            by_reason={str(r): by_reason.get(str(r), 0) for r in ModerationReason},
        )

    async def claim_due(
        self, now: datetime, limit: int, lease_until: datetime, *, unclaimed: bool = False
    ) -> list[ContentItem]:
        """Lease up to `limit` pending items that are due. With `unclaimed`, also those never
        claimed whatever their due time: the sweeper pushes the due time of items that wait
        long in a queue backlog, and a worker batching others along must still take them (a
        never-claimed item cannot be in another worker's hands)."""
        due = ContentRow.next_attempt_at <= now
        # SKIP LOCKED lets several workers claim disjoint batches on PostgreSQL; SQLite has a
        # single writer anyway and ignores it.
        rows = list(
            await self._session.scalars(
                select(ContentRow)
                .where(
                    ContentRow.status == str(ModerationStatus.PENDING),
                    or_(due, ContentRow.attempts == 0) if unclaimed else due,
                )
                .order_by(ContentRow.next_attempt_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = lease_until
        await self._session.flush()
        return [_to_domain(row) for row in rows]

    async def defer(self, content_id: UUID, until: datetime, error: str) -> None:
        await self._session.execute(
            update(ContentRow)
            .where(ContentRow.id == content_id, ContentRow.status == str(ModerationStatus.PENDING))
            .values(next_attempt_at=until, last_error=error[:2000])
        )

    async def pending_count(self, tenant_id: UUID | None = None) -> int:
        query = (
            select(func.count())
            .select_from(ContentRow)
            .where(ContentRow.status == str(ModerationStatus.PENDING))
        )
        if tenant_id is not None:
            # Served by ix_content_items_tenant_status_created, like the global count is by
            # ix_content_items_status_next_attempt.
            query = query.where(ContentRow.tenant_id == tenant_id)
        return await self._session.scalar(query) or 0

    async def claim(self, ids: list[UUID], lease_until: datetime) -> list[ContentItem]:
        """Lease those of `ids` still pending (whatever their due time): a task was sent for
        them, so they are worked on now. Rows another worker holds locked are skipped."""
        if not ids:
            return []
        rows = list(
            await self._session.scalars(
                select(ContentRow)
                .where(ContentRow.id.in_(ids), ContentRow.status == str(ModerationStatus.PENDING))
                .order_by(ContentRow.id)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = lease_until
        await self._session.flush()
        return [_to_domain(row) for row in rows]

    async def mark_overdue(self, before: datetime, limit: int, until: datetime) -> list[UUID]:
        """Ids of pending items due before `before`, pushed to `until` so that the next sweep
        does not pick them again while their new task waits in the queue."""
        rows = list(
            await self._session.scalars(
                select(ContentRow)
                .where(
                    ContentRow.status == str(ModerationStatus.PENDING),
                    ContentRow.next_attempt_at <= before,
                )
                .order_by(ContentRow.next_attempt_at)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.next_attempt_at = until
        await self._session.flush()
        return [row.id for row in rows]

    async def page_after(
        self,
        tenant_id: UUID,
        *,
        status: ModerationStatus | None,
        after: UUID | None,
        limit: int,
    ) -> list[ContentItem]:
        """The tenant's items in id order after `after` (keyset pages for long jobs)."""
        query = select(ContentRow).where(ContentRow.tenant_id == tenant_id)
        if status is not None:
            query = query.where(ContentRow.status == str(status))
        if after is not None:
            query = query.where(ContentRow.id > after)
        rows = await self._session.scalars(query.order_by(ContentRow.id).limit(limit))
        return [_to_domain(row) for row in rows]

    async def count(self, tenant_id: UUID, *, status: ModerationStatus | None) -> int:
        query = (
            select(func.count()).select_from(ContentRow).where(ContentRow.tenant_id == tenant_id)
        )
        if status is not None:
            query = query.where(ContentRow.status == str(status))
        return await self._session.scalar(query) or 0

    async def attempts(self, content_id: UUID) -> int:
        count = await self._session.scalar(
            select(ContentRow.attempts).where(ContentRow.id == content_id)
        )
        return count or 0


def _to_row(item: ContentItem, due_at: datetime | None, trace_parent: str | None) -> ContentRow:
    return ContentRow(**_row_values(item, due_at, trace_parent))


def _row_values(
    item: ContentItem, due_at: datetime | None, trace_parent: str | None
) -> dict[str, Any]:
    """The row of `item`; its trace is the item's own when it has one, else `trace_parent`
    (the span storing it)."""
    return {
        "id": item.id,
        "tenant_id": item.tenant_id,
        "author_id": item.author_id,
        "title": item.title,
        "body": item.body,
        "content_type": str(item.content_type),
        "language": item.language,
        "tags": list(item.tags),
        "extra": dict(item.metadata),
        "status": str(item.moderation_status),
        "score": item.moderation_score,
        "confidence": item.moderation_confidence,
        "reasons": [str(r) for r in item.moderation_reasons],
        "moderated_by": item.moderated_by,
        "moderated_at": item.moderated_at,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "attempts": 0,
        "next_attempt_at": due_at,
        "trace_parent": item.trace_parent or trace_parent,
    }


def _to_domain(row: ContentRow) -> ContentItem:
    return ContentItem(
        id=row.id,
        tenant_id=row.tenant_id,
        author_id=row.author_id,
        title=row.title,
        body=row.body,
        content_type=ContentType(row.content_type),
        language=row.language,
        tags=row.tags,
        metadata=row.extra,
        moderation_status=ModerationStatus(row.status),
        moderation_score=row.score,
        moderation_confidence=row.confidence,
        moderation_reasons=[ModerationReason(r) for r in row.reasons],
        moderated_by=row.moderated_by,
        moderated_at=row.moderated_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        open_reports=row.open_reports or 0,
        appealed_at=row.appealed_at,
        claimed_by=row.claimed_by,
        claimed_until=row.claimed_until,
        trace_parent=row.trace_parent,
    )


# The review repository reads the same rows.
content_from_row = _to_domain
