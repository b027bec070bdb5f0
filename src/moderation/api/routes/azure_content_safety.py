"""Azure AI Content Safety compatible routes: `text:analyze` and text blocklists."""

from typing import Any

from fastapi import APIRouter, Depends
from starlette.responses import Response

from moderation.api.azure import UNSUPPORTED, AzureContentSafetyMapper
from moderation.api.azure.api_version import check_api_version
from moderation.api.azure.azure_responses import azure_errors
from moderation.api.dependencies import (
    PrincipalDep,
    ScoreCacheDep,
    ScorerDep,
    TenantPolicyDep,
    require_scope,
)
from moderation.api.routes import azure_blocklists
from moderation.api.schemas.azure import AnalyzeTextRequest, AnalyzeTextResponse
from moderation.api.scored_texts import scored_texts
from moderation.core.exceptions import NotFoundError
from moderation.domain.models import Scope
from moderation.domain.policy import BlocklistItem, PolicyBlocklists

router = APIRouter(tags=["azure"])

UNSUPPORTED_HEADER = "Monocto-Unsupported-Categories"
_mapper = AzureContentSafetyMapper()
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Severities per category, and the named blocklists' hits.",
        "headers": {
            UNSUPPORTED_HEADER: {
                "description": "Categories no model here measures (always severity 0).",
                "schema": {"type": "string", "example": "SelfHarm"},
            }
        },
    },
    **azure_errors(400, 401, 403, 404, 413, 429, 503),
}


@router.post(
    "/contentsafety/text:analyze",
    dependencies=[Depends(require_scope(Scope.MODERATE)), Depends(check_api_version)],
    response_model=AnalyzeTextResponse,
    responses=_RESPONSES,
    summary="Analyze text (Azure AI Content Safety compatible)",
)
async def analyze_text(
    body: AnalyzeTextRequest,
    scorer: ScorerDep,
    tenant_policy: TenantPolicyDep,
    principal: PrincipalDep,
    cache: ScoreCacheDep,
    response: Response,
) -> AnalyzeTextResponse:
    """Drop-in for Azure's `text:analyze`: point `ContentSafetyClient` at this service and use
    a key with the `moderate` scope as its key. The text is scored exactly as
    `/api/v1/moderate` scores it (same engine, policy, cache and limits), and each category's
    calibrated probability becomes a severity by fixed cut points (0.15, 0.3, 0.5, 0.7, 0.85,
    0.95, 0.99 for levels 1-7: level 2 is our flag threshold, 4 our reject threshold). Hate is
    hate_speech, or an insult at most at 3; Violence is threat; Sexual is sexual; a lexicon or
    policy rule that acted in one of them counts as 0.5 (level 3). SelfHarm has no model
    here: always 0, and named in the `Monocto-Unsupported-Categories` header.

    `blocklistNames` selects which of the tenant's blocklists `blocklistsMatch` reports (an
    unknown one is a 404); every list still acts on the decision of the native routes. With
    `haltOnBlocklistHit` and a hit, `categoriesAnalysis` is empty, as Azure stops there."""
    names = body.wanted_blocklists()
    blocklists = PolicyBlocklists(tenant_policy.policy)
    missing = [name for name in names if not blocklists.exists(name)]
    if missing:
        raise NotFoundError(f"blocklist {missing[0]!r} not found")
    items: dict[str, BlocklistItem] = {
        BlocklistItem.rule_id(name, item.item_id): item
        for name in names
        for item in blocklists.items(name)
    }
    result = (await scored_texts([body.text], scorer, tenant_policy, principal, cache))[0]
    matches = _mapper.blocklist_matches(result, items)
    halted = bool(body.halt_on_blocklist_hit and matches)
    categories = (
        [] if halted else _mapper.categories(result, body.wanted_categories(), body.eight_levels)
    )
    response.headers[UNSUPPORTED_HEADER] = ", ".join(UNSUPPORTED)
    return AnalyzeTextResponse(blocklists_match=matches, categories_analysis=categories)


# After the route above, so Azure's own paths are matched first.
router.include_router(azure_blocklists.router)
