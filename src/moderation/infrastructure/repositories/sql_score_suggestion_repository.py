from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import ScoreSuggestion
from moderation.infrastructure.database.tables import ScoreSuggestionRow


class SqlScoreSuggestionRepository:
    """Suggested scores on SQLite or PostgreSQL."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, suggestion: ScoreSuggestion) -> None:
        self._session.add(
            ScoreSuggestionRow(
                id=suggestion.id,
                tenant_id=suggestion.tenant_id,
                text=suggestion.text,
                scores=dict(suggestion.scores),
                # JSON has no tuples: each span is stored as [begin, end, value].
                spans={
                    name: [list(span) for span in spans] for name, spans in suggestion.spans.items()
                },
                languages=list(suggestion.languages),
                detected_language=suggestion.detected_language,
                community_id=suggestion.community_id,
                client_token=suggestion.client_token,
                model_version=suggestion.model_version,
                model_scores=dict(suggestion.model_scores),
                created_at=suggestion.created_at,
                created_by=suggestion.created_by,
            )
        )
        await self._session.flush()

    async def page(
        self, tenant_id: UUID, *, after: tuple[datetime, UUID] | None, limit: int
    ) -> list[ScoreSuggestion]:
        query = select(ScoreSuggestionRow).where(ScoreSuggestionRow.tenant_id == tenant_id)
        if after is not None:
            created_at, last_id = after
            # Spelled out rather than a row-value comparison, which not every SQLite has.
            query = query.where(
                or_(
                    ScoreSuggestionRow.created_at > created_at,
                    and_(
                        ScoreSuggestionRow.created_at == created_at,
                        ScoreSuggestionRow.id > last_id,
                    ),
                )
            )
        rows = await self._session.scalars(
            query.order_by(ScoreSuggestionRow.created_at, ScoreSuggestionRow.id).limit(limit)
        )
        return [ScoreSuggestion.model_validate(row) for row in rows]
