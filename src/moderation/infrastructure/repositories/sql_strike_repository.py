import uuid
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import AuthorAction
from moderation.infrastructure.database.tables import AuthorActionRow, AuthorStrikeRow
from moderation.infrastructure.repositories.dialect_insert import dialect_insert


class SqlStrikeRepository:
    """`author_strikes` and `author_actions`. A strike is added with ON CONFLICT DO NOTHING on
    the partial unique index of active strikes, so a decision recorded twice strikes once."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, tenant_id: UUID, author_id: str, content_id: UUID, reasons: list[str], at: datetime
    ) -> list[str]:
        added: list[str] = []
        for reason in dict.fromkeys(reasons):
            statement = (
                dialect_insert(self._session, AuthorStrikeRow)
                .values(
                    id=uuid.uuid4(),
                    tenant_id=tenant_id,
                    author_id=author_id,
                    content_id=content_id,
                    reason=reason,
                    created_at=at,
                )
                .on_conflict_do_nothing(
                    index_elements=["tenant_id", "content_id", "reason"],
                    index_where=AuthorStrikeRow.removed_at.is_(None),
                )
            )
            result = await self._session.execute(statement)
            if getattr(result, "rowcount", 0):
                added.append(reason)
        return added

    async def remove_for_content(
        self, tenant_id: UUID, content_id: UUID, at: datetime, by: str
    ) -> int:
        result = await self._session.execute(
            update(AuthorStrikeRow)
            .where(
                AuthorStrikeRow.tenant_id == tenant_id,
                AuthorStrikeRow.content_id == content_id,
                AuthorStrikeRow.removed_at.is_(None),
            )
            .values(removed_at=at, removed_by=by)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def active(
        self, tenant_id: UUID, author_id: str, reason: str, since: datetime
    ) -> list[UUID]:
        rows = await self._session.scalars(
            select(AuthorStrikeRow.content_id)
            .where(
                AuthorStrikeRow.tenant_id == tenant_id,
                AuthorStrikeRow.author_id == author_id,
                AuthorStrikeRow.reason == reason,
                AuthorStrikeRow.created_at >= since,
                AuthorStrikeRow.removed_at.is_(None),
            )
            .order_by(AuthorStrikeRow.created_at, AuthorStrikeRow.id)
        )
        return list(rows.all())

    async def counts(self, tenant_id: UUID, author_id: str) -> dict[str, int]:
        rows = await self._session.execute(
            select(AuthorStrikeRow.reason, func.count())
            .where(
                AuthorStrikeRow.tenant_id == tenant_id,
                AuthorStrikeRow.author_id == author_id,
                AuthorStrikeRow.removed_at.is_(None),
            )
            .group_by(AuthorStrikeRow.reason)
        )
        return {reason: int(count) for reason, count in rows.all()}

    async def add_action(self, action: AuthorAction) -> None:
        self._session.add(AuthorActionRow(**action.model_dump()))
        await self._session.flush()

    async def actions(self, tenant_id: UUID, author_id: str, limit: int) -> list[AuthorAction]:
        rows = await self._session.scalars(
            select(AuthorActionRow)
            .where(AuthorActionRow.tenant_id == tenant_id, AuthorActionRow.author_id == author_id)
            .order_by(AuthorActionRow.created_at.desc(), AuthorActionRow.id)
            .limit(limit)
        )
        return [AuthorAction.model_validate(row) for row in rows.all()]
