import statistics
from collections import Counter
from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from moderation.domain.models import AppealStatus, ReportStatus, TransparencyReport
from moderation.infrastructure.database.tables import (
    AuditRow,
    ContentAppealRow,
    ContentReportRow,
    ContentRow,
)


class SqlTransparencyRepository:
    """Transparency figures from the audit log, reports and appeals. Counts are SQL
    aggregates; medians and per-reason counts read one small column set of the period's
    rows (the databases spell medians and JSON unnesting differently)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def report(self, tenant_id: UUID, start: datetime, end: datetime) -> TransparencyReport:
        in_period = (
            AuditRow.tenant_id == tenant_id,
            AuditRow.created_at >= start,
            AuditRow.created_at < end,
        )
        rows = (
            await self._session.execute(
                select(AuditRow.source, AuditRow.status, AuditRow.reasons).where(*in_period)
            )
        ).all()
        by_source = Counter(str(source) for source, _, _ in rows)
        by_status = Counter(str(status) for _, status, _ in rows)
        by_reason: Counter[str] = Counter()
        for _, _, reasons in rows:
            by_reason.update(set(reasons or []) or {"none"})
        reports = await self._reports(tenant_id, start, end)
        appeals = await self._appeals(tenant_id, start, end)
        reviewed, overturned = await self._overturns(tenant_id, start, end)
        engine = by_source.get("engine", 0)
        return TransparencyReport(
            start=start,
            end=end,
            decisions=len(rows),
            decisions_by_source=dict(by_source),
            decisions_by_status=dict(by_status),
            decisions_by_reason=dict(by_reason),
            automated_share=engine / len(rows) if rows else None,
            median_seconds_to_first_decision=await self._first_decision_median(
                tenant_id, start, end
            ),
            reports_received=reports[0],
            reports_actioned=reports[1],
            reports_dismissed=reports[2],
            median_seconds_report_to_decision=reports[3],
            appeals_received=appeals[0],
            appeals_upheld=appeals[1],
            appeals_overturned=appeals[2],
            median_seconds_to_appeal_decision=appeals[3],
            engine_decisions_reviewed=reviewed,
            engine_decisions_overturned=overturned,
            engine_overturn_rate=overturned / engine if engine else None,
        )

    async def _first_decision_median(
        self, tenant_id: UUID, start: datetime, end: datetime
    ) -> float | None:
        first = (
            select(AuditRow.content_id, func.min(AuditRow.created_at).label("decided_at"))
            .where(AuditRow.tenant_id == tenant_id)
            .group_by(AuditRow.content_id)
            .subquery()
        )
        pairs = await self._session.execute(
            select(ContentRow.created_at, first.c.decided_at)
            .join(first, first.c.content_id == ContentRow.id)
            .where(
                ContentRow.tenant_id == tenant_id,
                first.c.decided_at >= start,
                first.c.decided_at < end,
            )
        )
        return _median([_seconds(stored, decided) for stored, decided in pairs])

    async def _reports(
        self, tenant_id: UUID, start: datetime, end: datetime
    ) -> tuple[int, int, int, float | None]:
        table = ContentReportRow
        received = await self._session.scalar(
            select(func.count()).where(
                table.tenant_id == tenant_id, table.created_at >= start, table.created_at < end
            )
        )
        closed = (
            await self._session.execute(
                select(table.status, table.created_at, table.resolved_at).where(
                    table.tenant_id == tenant_id,
                    table.resolved_at >= start,
                    table.resolved_at < end,
                )
            )
        ).all()
        actioned = sum(1 for status, *_ in closed if status == str(ReportStatus.ACTIONED))
        dismissed = sum(1 for status, *_ in closed if status == str(ReportStatus.DISMISSED))
        median = _median([_seconds(filed, done) for _, filed, done in closed if done])
        return int(received or 0), actioned, dismissed, median

    async def _appeals(
        self, tenant_id: UUID, start: datetime, end: datetime
    ) -> tuple[int, int, int, float | None]:
        table = ContentAppealRow
        received = await self._session.scalar(
            select(func.count()).where(
                table.tenant_id == tenant_id, table.created_at >= start, table.created_at < end
            )
        )
        decided = (
            await self._session.execute(
                select(table.status, table.created_at, table.decided_at).where(
                    table.tenant_id == tenant_id,
                    table.decided_at >= start,
                    table.decided_at < end,
                )
            )
        ).all()
        upheld = sum(1 for status, *_ in decided if status == str(AppealStatus.UPHELD))
        overturned = sum(1 for status, *_ in decided if status == str(AppealStatus.OVERTURNED))
        median = _median([_seconds(filed, done) for _, filed, done in decided if done])
        return int(received or 0), upheld, overturned, median

    async def _overturns(self, tenant_id: UUID, start: datetime, end: datetime) -> tuple[int, int]:
        """Engine decisions of the period that a reviewer decided again afterwards: how many,
        and how many of those the reviewer's first later decision changed."""
        later = aliased(AuditRow)
        next_human = (
            select(func.min(later.created_at))
            .where(
                later.tenant_id == AuditRow.tenant_id,
                later.content_id == AuditRow.content_id,
                later.source == "human",
                later.created_at > AuditRow.created_at,
            )
            .scalar_subquery()
        )
        engine = (
            select(AuditRow.content_id, AuditRow.status, next_human.label("reviewed_at"))
            .where(
                AuditRow.tenant_id == tenant_id,
                AuditRow.source == "engine",
                AuditRow.created_at >= start,
                AuditRow.created_at < end,
            )
            .subquery()
        )
        review = aliased(AuditRow)
        pairs = (
            await self._session.execute(
                select(engine.c.status, review.status).join(
                    review,
                    and_(
                        review.tenant_id == tenant_id,
                        review.content_id == engine.c.content_id,
                        review.source == "human",
                        review.created_at == engine.c.reviewed_at,
                    ),
                )
            )
        ).all()
        return len(pairs), sum(1 for machine, human in pairs if machine != human)


def _seconds(earlier: datetime, later: datetime) -> float:
    return max(0.0, (later - earlier).total_seconds())


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None
