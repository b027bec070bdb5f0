from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import AuditEntry, ModerationStatus, ReportReason, RestrictionRecord
from moderation.infrastructure.database.tables import AuditRow, ContentReportRow, ContentRow
from moderation.infrastructure.repositories.sql_content_repository import content_from_row


class SqlRestrictionRepository:
    """Rejections with their items, in keyset pages; the history each statement needs (an
    earlier engine decision, an earlier report) is read for the whole page in two queries."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(
        self,
        tenant_id: UUID,
        start: datetime,
        end: datetime,
        *,
        after: tuple[datetime, UUID] | None,
        limit: int,
    ) -> list[RestrictionRecord]:
        query = (
            select(AuditRow, ContentRow)
            .join(ContentRow, ContentRow.id == AuditRow.content_id)
            .where(
                AuditRow.tenant_id == tenant_id,
                AuditRow.status == str(ModerationStatus.REJECTED),
                AuditRow.created_at >= start,
                AuditRow.created_at < end,
            )
        )
        if after is not None:
            at, entry_id = after
            query = query.where(
                or_(
                    AuditRow.created_at > at,
                    and_(AuditRow.created_at == at, AuditRow.id > entry_id),
                )
            )
        pairs = (
            await self._session.execute(
                query.order_by(AuditRow.created_at, AuditRow.id).limit(limit)
            )
        ).all()
        if not pairs:
            return []
        ids = list({audit.content_id for audit, _ in pairs})
        first_engine = dict(
            (
                await self._session.execute(
                    select(AuditRow.content_id, func.min(AuditRow.created_at))
                    .where(
                        AuditRow.tenant_id == tenant_id,
                        AuditRow.content_id.in_(ids),
                        AuditRow.source == "engine",
                    )
                    .group_by(AuditRow.content_id)
                )
            ).all()
        )
        reports: dict[UUID, list[tuple[datetime, str]]] = {}
        for content_id, filed, reason in await self._session.execute(
            select(
                ContentReportRow.content_id, ContentReportRow.created_at, ContentReportRow.reason
            )
            .where(ContentReportRow.tenant_id == tenant_id, ContentReportRow.content_id.in_(ids))
            .order_by(ContentReportRow.created_at)
        ):
            reports.setdefault(content_id, []).append((filed, reason))
        records = []
        for audit, content in pairs:
            engine_at = first_engine.get(audit.content_id)
            earlier = [
                r for filed, r in reports.get(audit.content_id, []) if filed <= audit.created_at
            ]
            records.append(
                RestrictionRecord(
                    entry=AuditEntry.model_validate(audit),
                    item=content_from_row(content),
                    engine_decided_before=engine_at is not None and engine_at <= audit.created_at,
                    reported_for=ReportReason(earlier[0]) if earlier else None,
                )
            )
        return records
