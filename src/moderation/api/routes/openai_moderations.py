"""OpenAI-compatible moderation: `POST /v1/moderations`, for clients built on `openai`."""

import json
import uuid
from typing import Any

from fastapi import APIRouter, Depends
from starlette.responses import Response

from moderation.api.dependencies import (
    PrincipalDep,
    ScoreCacheDep,
    ScorerDep,
    TenantPolicyDep,
    require_scope,
)
from moderation.api.openai import CATEGORIES, UNSUPPORTED, OpenAIModerationMapper
from moderation.api.schemas.openai import OpenAIModerationRequest
from moderation.api.scored_texts import scored_texts
from moderation.domain.models import Scope

router = APIRouter(tags=["openai"])

_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
        }
    },
}
_FLAGS = {"type": "object", "additionalProperties": {"type": "boolean"}}
_SCORES = {"type": "object", "additionalProperties": {"type": "number"}}
_APPLIED = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
_RESULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "model", "results"],
    "properties": {
        "id": {"type": "string"},
        "model": {"type": "string"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["flagged", "categories", "category_scores"],
                "properties": {
                    "flagged": {"type": "boolean"},
                    "categories": _FLAGS,
                    "category_scores": _SCORES,
                    "category_applied_input_types": _APPLIED,
                },
            },
        },
    },
}
_ERRORS = {
    400: "The body is not JSON.",
    401: "No API key, or one that does not verify (the client raises AuthenticationError).",
    403: "The key lacks the `moderate` scope (PermissionDeniedError).",
    413: "The body exceeds the configured limit.",
    422: "Malformed input: no texts, over 100, a text over 100,000 characters, an image part.",
    429: "The tenant's rate limit is spent (RateLimitError); see Retry-After.",
    503: "The models are still loading; see Retry-After.",
}
_CODES = {401: "invalid_api_key", 403: "insufficient_permissions", 429: "rate_limit_exceeded"}
_EXAMPLE = {
    "id": "modr-5d1c0e3b9f2a4c7e8b6d0a1f2e3c4b5a",
    "model": "monocto-moderation-1.2.0+9510221e939a",
    "results": [
        {
            "flagged": True,
            "categories": {name: name in ("harassment",) for name in CATEGORIES},
            "category_scores": {
                name: 0.916 if name == "harassment" else 0.0 for name in CATEGORIES
            },
            "category_applied_input_types": {
                name: [] if name in UNSUPPORTED else ["text"] for name in CATEGORIES
            },
        }
    ],
}


def _error_type(status: int) -> str:
    if status == 429:
        return "requests"
    return "server_error" if status >= 500 else "invalid_request_error"


_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": _RESULT_SCHEMA, "example": _EXAMPLE}}},
    **{
        status: {
            "description": description,
            "content": {
                "application/json": {
                    "schema": _ERROR_SCHEMA,
                    "example": {
                        "error": {
                            "message": description,
                            "type": _error_type(status),
                            "param": None,
                            "code": _CODES.get(status),
                        }
                    },
                }
            },
        }
        for status, description in _ERRORS.items()
    },
}

UNSUPPORTED_HEADER = "Monocto-Unsupported-Categories"
_mapper = OpenAIModerationMapper()


@router.post(
    "/v1/moderations",
    dependencies=[Depends(require_scope(Scope.MODERATE))],
    responses=_RESPONSES,
    summary="Classify texts (OpenAI moderation API compatible)",
)
async def create_moderation(
    body: OpenAIModerationRequest,
    scorer: ScorerDep,
    tenant_policy: TenantPolicyDep,
    principal: PrincipalDep,
    cache: ScoreCacheDep,
) -> Response:
    """Drop-in for OpenAI's moderation endpoint: point the client's base URL here and use a
    key with the `moderate` scope as its API key. Texts are scored exactly as
    `/api/v1/moderate` scores them (same engine, policy, cache and limits) and reported under
    OpenAI's 13 categories. Seven of them have no model here (illicit, illicit/violent, the
    three self-harm ones, sexual/minors, violence/graphic): they are always false / 0.0 and
    listed in the `Monocto-Unsupported-Categories` header. `model` is accepted whatever it
    names; the response's `model` is the model that ran. Errors use OpenAI's envelope."""
    results = await scored_texts(body.texts(), scorer, tenant_policy, principal, cache)
    payload = {
        "id": f"modr-{uuid.uuid4().hex}",
        "model": f"monocto-moderation-{scorer.model_version}",
        "results": [_mapper.result(result) for result in results],
    }
    return Response(
        json.dumps(payload, separators=(",", ":")),
        media_type="application/json",
        headers={UNSUPPORTED_HEADER: ", ".join(UNSUPPORTED)},
    )
