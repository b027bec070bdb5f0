"""Stateless scoring shared by `/api/v1/moderate` and the vendor-compatible routes."""

from moderation.domain.models import Principal
from moderation.domain.policy import TenantPolicy
from moderation.domain.services import ScoringCache, TextScorer


async def scored_texts(
    texts: list[str],
    scorer: TextScorer,
    tenant_policy: TenantPolicy,
    principal: Principal,
    cache: ScoringCache | None,
) -> list[dict[str, object]]:
    """Each text's result as JSON-ready dicts, through the score cache when there is one (the
    same results, engine batching and limits whichever route asked)."""
    if cache is None:
        scored = await scorer.score(texts, tenant_policy.policy)
        return [result.model_dump(mode="json") for result in scored]
    return await cache.score(
        principal.tenant_id, tenant_policy.version, texts, tenant_policy.policy, scorer
    )
