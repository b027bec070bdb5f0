from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import DomainEvent
from moderation.infrastructure.database.tables import OutboxRow
from moderation.infrastructure.database.tracked_session import effects_of
from moderation.infrastructure.telemetry import current_traceparent


class SqlEventRepository:
    """The outbox table: events stored with the change that caused them, relayed later."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, event: DomainEvent) -> None:
        self._session.add(_row(event, current_traceparent()))
        await self._session.flush()
        effects_of(self._session).events_written()

    async def add_many(self, events: Sequence[DomainEvent]) -> None:
        """Store several events with one flush (bulk imports: a flush per event halved them)."""
        if not events:
            return
        trace_parent = current_traceparent()
        self._session.add_all(_row(event, trace_parent) for event in events)
        await self._session.flush()
        effects_of(self._session).events_written()

    async def claim_unpublished(self, limit: int) -> list[DomainEvent]:
        """The oldest unpublished events, locked until this transaction ends.

        PostgreSQL skips rows another relay holds; SQLite ignores the lock clause (its writers
        take turns on `Database.writing()` instead).
        """
        rows = await self._session.scalars(_unpublished(limit).with_for_update(skip_locked=True))
        return [_event(row) for row in rows]

    async def has_unpublished(self) -> bool:
        found = await self._session.scalar(
            select(OutboxRow.event_id).where(OutboxRow.published_at.is_(None)).limit(1)
        )
        return found is not None

    async def unpublished_count(self) -> int:
        count = await self._session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.published_at.is_(None))
        )
        return int(count or 0)

    async def mark_published(self, event_ids: Sequence[UUID], at: datetime) -> None:
        await self._session.execute(
            update(OutboxRow).where(OutboxRow.event_id.in_(event_ids)).values(published_at=at)
        )

    async def delete_published_before(self, before: datetime, limit: int) -> int:
        # The batch is chosen by a subquery (neither backend takes DELETE … LIMIT), a range of
        # the (published_at, occurred_at) index that unpublished rows (NULL) are never in.
        batch = (
            select(OutboxRow.event_id)
            .where(OutboxRow.published_at.is_not(None), OutboxRow.published_at < before)
            .order_by(OutboxRow.published_at)
            .limit(limit)
        )
        result = await self._session.execute(
            delete(OutboxRow)
            .where(OutboxRow.event_id.in_(batch.scalar_subquery()))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _unpublished(limit: int) -> Select[OutboxRow]:
    # occurred_at orders one aggregate's events; event_id only breaks ties deterministically.
    return (
        select(OutboxRow)
        .where(OutboxRow.published_at.is_(None))
        .order_by(OutboxRow.occurred_at, OutboxRow.event_id)
        .limit(limit)
    )


def _row(event: DomainEvent, trace_parent: str | None) -> OutboxRow:
    # An event that names its own trace (an engine decision's) keeps it; any other continues
    # the span that writes it (the request's).
    return OutboxRow(
        **event.model_dump(mode="python"), trace_parent=event.trace_parent or trace_parent
    )


def _event(row: OutboxRow) -> DomainEvent:
    return DomainEvent(
        event_id=row.event_id,
        event_type=row.event_type,
        tenant_id=row.tenant_id,
        aggregate_id=row.aggregate_id,
        occurred_at=row.occurred_at,
        version=row.version,
        payload=row.payload,
        trace_parent=row.trace_parent,
    )
