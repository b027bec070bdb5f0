import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime

from moderation.core.exceptions import InvalidRequestError
from moderation.domain.models import Principal, ScoreSuggestion
from moderation.domain.models.score_suggestion import SuggestedSpan
from moderation.domain.repositories import ScoreSuggestionRepository

EXPORT_PAGE_SIZE = 500
# The column's width; a bundle's version is free text, and a long one must not fail the write.
MAX_MODEL_VERSION_CHARS = 100


class ScoreSuggestionService:
    """Suggested scores: recorded from `comments:suggestscore`, exported as labelled data."""

    def __init__(self, suggestions: ScoreSuggestionRepository) -> None:
        self._suggestions = suggestions

    async def record(
        self,
        principal: Principal,
        text: str,
        scores: Mapping[str, float],
        *,
        spans: Mapping[str, Sequence[SuggestedSpan]] | None = None,
        languages: Sequence[str] = (),
        detected_language: str | None = None,
        community_id: str | None = None,
        client_token: str | None = None,
        model_version: str,
        model_scores: Mapping[str, float] | None = None,
    ) -> ScoreSuggestion:
        """Keep the suggestion, attributed to the caller's tenant and credential."""
        if not text or not scores:
            raise InvalidRequestError("a suggestion needs a text and at least one score")
        if any(not 0.0 <= value <= 1.0 for value in scores.values()):
            raise InvalidRequestError("suggested scores are probabilities, in [0, 1]")
        suggestion = ScoreSuggestion(
            id=uuid.uuid4(),
            tenant_id=principal.tenant_id,
            text=text,
            scores=dict(scores),
            spans={name: list(found) for name, found in (spans or {}).items() if found},
            languages=list(languages),
            detected_language=detected_language,
            community_id=community_id,
            client_token=client_token,
            model_version=model_version[:MAX_MODEL_VERSION_CHARS],
            model_scores=dict(model_scores or {}),
            created_at=datetime.now(UTC),
            created_by=principal.actor,
        )
        await self._suggestions.add(suggestion)
        return suggestion

    async def export(
        self, tenant_id: uuid.UUID, *, page_size: int = EXPORT_PAGE_SIZE
    ) -> AsyncIterator[ScoreSuggestion]:
        """Every suggestion of the tenant, oldest first, read a page at a time (an export of
        millions holds one page in memory)."""
        after: tuple[datetime, uuid.UUID] | None = None
        while True:
            page = await self._suggestions.page(tenant_id, after=after, limit=page_size)
            for suggestion in page:
                yield suggestion
            if len(page) < page_size:
                return
            after = (page[-1].created_at, page[-1].id)
