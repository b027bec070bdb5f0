"""Services wired to one session, as the handlers use them."""

from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.services import AutoModerationService, PolicyService, TextScorer
from moderation.infrastructure.repositories import (
    SqlAuditRepository,
    SqlContentRepository,
    SqlEventRepository,
    SqlPolicyRepository,
)


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
