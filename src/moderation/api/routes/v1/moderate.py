"""Stateless scoring: texts in, results out, nothing stored."""

import json
import time

from fastapi import APIRouter, Depends
from starlette.responses import Response

from moderation.api.dependencies import (
    PrincipalDep,
    ScoreCacheDep,
    ScorerDep,
    TenantPolicyDep,
    require_scope,
)
from moderation.api.openapi_responses import AUTHENTICATED, problems
from moderation.api.schemas import ModerateTextsRequest, ModerateTextsResponse
from moderation.api.scored_texts import scored_texts
from moderation.domain.models import Scope

router = APIRouter(prefix="/api/v1", tags=["moderate"])


@router.post(
    "/moderate",
    response_model=ModerateTextsResponse,
    dependencies=[Depends(require_scope(Scope.MODERATE))],
    responses=problems(*AUTHENTICATED, 400, 413, 503),
)
async def moderate_texts(
    body: ModerateTextsRequest,
    scorer: ScorerDep,
    tenant_policy: TenantPolicyDep,
    principal: PrincipalDep,
    cache: ScoreCacheDep,
) -> Response:
    """Score up to 100 texts under the tenant's policy. Each result is the record
    `moderation score` prints: per-category probabilities, decision, reasons, the character
    spans that triggered it, language, and the model version. Nothing is stored."""
    started = time.perf_counter()
    results = await scored_texts(
        [item.text for item in body.items], scorer, tenant_policy, principal, cache
    )
    # Serialised directly: re-validating the engine's own results through the response
    # model cost a fifth of this route's time. The schema above still documents the shape.
    payload = {
        "model_version": scorer.model_version,
        "policy_version": tenant_policy.version,
        "processing_time_ms": round((time.perf_counter() - started) * 1000),
        "results": [
            {"id": item.id, **result} for item, result in zip(body.items, results, strict=True)
        ],
    }
    return Response(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        media_type="application/json",
    )
