from collections import Counter
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import AuthorHistory, ModerationStatus
from moderation.infrastructure.database.tables import ContentAppealRow, ContentReportRow, ContentRow
from moderation.infrastructure.repositories.sql_content_repository import content_from_row


class SqlAuthorRepository:
    """Author aggregates on SQLite or PostgreSQL, on the `(tenant_id, author_id)` index."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def history(self, tenant_id: UUID, author_id: str, *, recent: int) -> AuthorHistory:
        mine = (ContentRow.tenant_id == tenant_id, ContentRow.author_id == author_id)
        by_status = {
            str(status): int(count)
            for status, count in await self._session.execute(
                select(ContentRow.status, func.count()).where(*mine).group_by(ContentRow.status)
            )
        }
        # Reasons are a JSON list per row: counted here rather than unnested in SQL, which
        # the two databases spell differently; only rejected and flagged rows are read.
        rejected: Counter[str] = Counter()
        flagged: Counter[str] = Counter()
        decided = await self._session.execute(
            select(ContentRow.status, ContentRow.reasons).where(
                *mine,
                ContentRow.status.in_(
                    [str(ModerationStatus.REJECTED), str(ModerationStatus.FLAGGED)]
                ),
            )
        )
        for status, reasons in decided:
            target = rejected if status == str(ModerationStatus.REJECTED) else flagged
            target.update(set(reasons or []))
        total_reports = await self._session.scalar(
            select(func.count())
            .select_from(ContentReportRow)
            .join(ContentRow, ContentRow.id == ContentReportRow.content_id)
            .where(*mine)
        )
        open_reports = await self._session.scalar(
            select(func.coalesce(func.sum(ContentRow.open_reports), 0)).where(*mine)
        )
        appeals = {
            str(status): int(count)
            for status, count in await self._session.execute(
                select(ContentAppealRow.status, func.count())
                .where(
                    ContentAppealRow.tenant_id == tenant_id,
                    ContentAppealRow.author_id == author_id,
                )
                .group_by(ContentAppealRow.status)
            )
        }
        rows = await self._session.scalars(
            select(ContentRow)
            .where(*mine)
            .order_by(ContentRow.created_at.desc(), ContentRow.id)
            .limit(recent)
        )
        return AuthorHistory(
            author_id=author_id,
            items=sum(by_status.values()),
            by_status=by_status,
            rejected_by_reason=dict(rejected),
            flagged_by_reason=dict(flagged),
            reports=int(total_reports or 0),
            open_reports=int(open_reports or 0),
            appeals=appeals,
            recent=[content_from_row(row) for row in rows],
        )
