from datetime import datetime
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import ContentReport, ReportReason, ReportStatus
from moderation.infrastructure.database.tables import ContentReportRow
from moderation.infrastructure.repositories.dialect_insert import dialect_insert

_OPEN = str(ReportStatus.OPEN)


class SqlReportRepository:
    """Reports on SQLite or PostgreSQL; every read is scoped by tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_open(self, report: ContentReport) -> tuple[ContentReport, bool]:
        # Skips the insert on the partial unique index rather than failing the transaction,
        # so two identical reports sent at once leave one open report and no error.
        statement = (
            dialect_insert(self._session, ContentReportRow)
            .values(
                id=report.id,
                tenant_id=report.tenant_id,
                content_id=report.content_id,
                reporter_id=report.reporter_id,
                reason=str(report.reason),
                details=report.details,
                status=_OPEN,
                created_at=report.created_at,
            )
            .on_conflict_do_nothing(
                index_elements=["tenant_id", "content_id", "reporter_id"],
                index_where=text("status = 'open'"),
            )
            .returning(ContentReportRow.id)
        )
        created = await self._session.scalar(statement)
        if created is not None:
            return report, True
        existing = await self._session.scalar(
            select(ContentReportRow).where(
                ContentReportRow.tenant_id == report.tenant_id,
                ContentReportRow.content_id == report.content_id,
                ContentReportRow.reporter_id == report.reporter_id,
                ContentReportRow.status == _OPEN,
            )
        )
        if existing is None:  # pragma: no cover - the conflicting row is open in this snapshot
            raise RuntimeError("an open report conflicted but cannot be read")
        return _to_domain(existing), False

    async def list_for_content(self, tenant_id: UUID, content_id: UUID) -> list[ContentReport]:
        rows = await self._session.scalars(
            select(ContentReportRow)
            .where(
                ContentReportRow.tenant_id == tenant_id, ContentReportRow.content_id == content_id
            )
            .order_by(ContentReportRow.created_at.desc(), ContentReportRow.id)
        )
        return [_to_domain(row) for row in rows]

    async def resolve_open(
        self, tenant_id: UUID, content_id: UUID, status: ReportStatus, by: str, at: datetime
    ) -> int:
        result = await self._session.execute(
            update(ContentReportRow)
            .where(
                ContentReportRow.tenant_id == tenant_id,
                ContentReportRow.content_id == content_id,
                ContentReportRow.status == _OPEN,
            )
            .values(status=str(status), resolved_at=at, resolved_by=by)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _to_domain(row: ContentReportRow) -> ContentReport:
    return ContentReport(
        id=row.id,
        tenant_id=row.tenant_id,
        content_id=row.content_id,
        reporter_id=row.reporter_id,
        reason=ReportReason(row.reason),
        details=row.details,
        status=ReportStatus(row.status),
        created_at=row.created_at,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
    )
