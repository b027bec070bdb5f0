from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from moderation.domain.models import AuditEntry, ContentItem
from moderation.infrastructure.database.tables import AuditRow, ContentRow
from moderation.infrastructure.repositories.sql_content_repository import content_from_row

_HUMAN = "human"


class SqlAuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entry: AuditEntry) -> None:
        self._session.add(AuditRow(**entry.model_dump(mode="python")))
        await self._session.flush()

    async def add_many(self, entries: Sequence[AuditEntry]) -> None:
        """Several entries in one flush (one multi-row INSERT): a worker's batch of decisions."""
        if not entries:
            return
        self._session.add_all(AuditRow(**entry.model_dump(mode="python")) for entry in entries)
        await self._session.flush()

    async def list_for_content(self, tenant_id: UUID, content_id: UUID) -> list[AuditEntry]:
        rows = await self._session.scalars(
            select(AuditRow)
            .where(AuditRow.tenant_id == tenant_id, AuditRow.content_id == content_id)
            .order_by(AuditRow.created_at, AuditRow.id)
        )
        return [AuditEntry.model_validate(row) for row in rows]

    async def latest_human_decisions(
        self,
        tenant_id: UUID,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        after: UUID | None = None,
        limit: int,
    ) -> list[tuple[AuditEntry, ContentItem]]:
        """Pages by content id, so each page is a range of the (tenant, content, time) index
        and the correlated "no later decision" test is a probe of the same index: an export
        reads the tenant's log once, whatever its number of pages."""
        later = aliased(AuditRow)
        superseded = exists().where(
            later.tenant_id == AuditRow.tenant_id,
            later.content_id == AuditRow.content_id,
            later.source == _HUMAN,
            or_(
                later.created_at > AuditRow.created_at,
                # Two decisions in the same microsecond: the id decides, the same way each time.
                and_(later.created_at == AuditRow.created_at, later.id > AuditRow.id),
            ),
            *([] if until is None else [later.created_at < until]),
        )
        conditions = [AuditRow.tenant_id == tenant_id, AuditRow.source == _HUMAN, ~superseded]
        if until is not None:
            conditions.append(AuditRow.created_at < until)
        if since is not None:
            conditions.append(AuditRow.created_at >= since)
        if after is not None:
            conditions.append(AuditRow.content_id > after)
        rows = await self._session.execute(
            select(AuditRow, ContentRow)
            .join(
                ContentRow,
                and_(ContentRow.id == AuditRow.content_id, ContentRow.tenant_id == tenant_id),
            )
            .where(*conditions)
            .order_by(AuditRow.content_id)
            .limit(limit)
        )
        return [(AuditEntry.model_validate(entry), content_from_row(item)) for entry, item in rows]
