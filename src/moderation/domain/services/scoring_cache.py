from typing import Protocol
from uuid import UUID

from moderation.domain.policy import ModerationPolicy
from moderation.domain.services.text_scorer import TextScorer


class ScoringCache(Protocol):
    """Stateless scoring results remembered per (tenant, policy version, model, text), so a
    text scored twice is scored once. Implemented in infrastructure (Redis)."""

    async def score(
        self,
        tenant_id: UUID,
        policy_version: int,
        texts: list[str],
        policy: ModerationPolicy,
        scorer: TextScorer,
    ) -> list[dict[str, object]]:
        """The JSON form of each text's result: cached ones read, the rest scored and stored."""
        ...
