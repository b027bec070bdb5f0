from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.services import AutoModerationService, PolicyService, TextScorer
from moderation.infrastructure.database import Database
from moderation.infrastructure.repositories.sql_audit_repository import SqlAuditRepository
from moderation.infrastructure.repositories.sql_content_repository import SqlContentRepository
from moderation.infrastructure.repositories.sql_event_repository import SqlEventRepository
from moderation.infrastructure.repositories.sql_policy_repository import SqlPolicyRepository


class SqlModerationUnits:
    """`ModerationUnits` on a `Database`: each block is one of its units of work, so the
    decisions' after-commit effects (the relay's wake, cache invalidation) follow their commit."""

    def __init__(self, database: Database) -> None:
        self._database = database

    @asynccontextmanager
    async def content(self, *, write: bool = True) -> AsyncIterator[SqlContentRepository]:
        async with self._database.transaction(write=write) as session:
            yield SqlContentRepository(session)

    @asynccontextmanager
    async def decisions(
        self, scorer: TextScorer, *, write: bool = True
    ) -> AsyncIterator[AutoModerationService]:
        async with self._database.transaction(write=write) as session:
            yield auto_moderation_service(session, scorer)


def auto_moderation_service(session: AsyncSession, scorer: TextScorer) -> AutoModerationService:
    """The engine-decision service on `session`."""
    events = SqlEventRepository(session)
    return AutoModerationService(
        SqlContentRepository(session),
        SqlAuditRepository(session),
        events,
        PolicyService(SqlPolicyRepository(session), events),
        scorer,
    )
