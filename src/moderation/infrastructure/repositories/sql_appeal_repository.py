from datetime import datetime
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import AppealStatus, ContentAppeal, ModerationStatus
from moderation.infrastructure.database.tables import ContentAppealRow
from moderation.infrastructure.repositories.dialect_insert import dialect_insert

_OPEN = str(AppealStatus.OPEN)


class SqlAppealRepository:
    """Appeals on SQLite or PostgreSQL; every read is scoped by tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_open(self, appeal: ContentAppeal) -> bool:
        statement = (
            dialect_insert(self._session, ContentAppealRow)
            .values(
                id=appeal.id,
                tenant_id=appeal.tenant_id,
                content_id=appeal.content_id,
                author_id=appeal.author_id,
                statement=appeal.statement,
                appealed_status=str(appeal.appealed_status),
                appealed_actor=appeal.appealed_actor,
                status=_OPEN,
                created_at=appeal.created_at,
            )
            # A second open appeal meets the partial unique index: skipped, not an error that
            # would abort the transaction.
            .on_conflict_do_nothing(
                index_elements=["tenant_id", "content_id"], index_where=text("status = 'open'")
            )
            .returning(ContentAppealRow.id)
        )
        return await self._session.scalar(statement) is not None

    async def get(self, tenant_id: UUID, appeal_id: UUID) -> ContentAppeal | None:
        row = await self._session.scalar(
            select(ContentAppealRow).where(
                ContentAppealRow.tenant_id == tenant_id, ContentAppealRow.id == appeal_id
            )
        )
        return _to_domain(row) if row else None

    async def open_for(self, tenant_id: UUID, content_id: UUID) -> ContentAppeal | None:
        row = await self._session.scalar(
            select(ContentAppealRow).where(
                ContentAppealRow.tenant_id == tenant_id,
                ContentAppealRow.content_id == content_id,
                ContentAppealRow.status == _OPEN,
            )
        )
        return _to_domain(row) if row else None

    async def list_for_content(self, tenant_id: UUID, content_id: UUID) -> list[ContentAppeal]:
        rows = await self._session.scalars(
            select(ContentAppealRow)
            .where(
                ContentAppealRow.tenant_id == tenant_id,
                ContentAppealRow.content_id == content_id,
            )
            .order_by(ContentAppealRow.created_at.desc(), ContentAppealRow.id)
        )
        return [_to_domain(row) for row in rows]

    async def decide(
        self,
        tenant_id: UUID,
        appeal_id: UUID,
        status: AppealStatus,
        by: str,
        at: datetime,
        notes: str | None,
    ) -> bool:
        result = await self._session.execute(
            update(ContentAppealRow)
            .where(
                ContentAppealRow.tenant_id == tenant_id,
                ContentAppealRow.id == appeal_id,
                ContentAppealRow.status == _OPEN,
            )
            .values(status=str(status), decided_at=at, decided_by=by, decision_notes=notes)
        )
        return bool(getattr(result, "rowcount", 0))


def _to_domain(row: ContentAppealRow) -> ContentAppeal:
    return ContentAppeal(
        id=row.id,
        tenant_id=row.tenant_id,
        content_id=row.content_id,
        author_id=row.author_id,
        statement=row.statement,
        appealed_status=ModerationStatus(row.appealed_status),
        appealed_actor=row.appealed_actor,
        status=AppealStatus(row.status),
        created_at=row.created_at,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        decision_notes=row.decision_notes,
    )
