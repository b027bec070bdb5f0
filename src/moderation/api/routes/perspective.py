"""Perspective-API-compatible endpoint: `POST /v1alpha1/comments:analyze`."""

from typing import Any

from fastapi import APIRouter, Depends

from moderation.api.dependencies import PolicyDep, ScorerDep, require_scope
from moderation.api.perspective import PerspectiveMapper
from moderation.api.problem_details import PROBLEM_JSON
from moderation.api.schemas.perspective import AnalyzeCommentRequest, AnalyzeCommentResponse
from moderation.domain.models import Scope

router = APIRouter(tags=["perspective"])

_mapper = PerspectiveMapper()

_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "additionalProperties": True,
}


def _problem(description: str, slug: str, title: str, status: int, detail: str) -> dict[str, Any]:
    example = {
        "type": slug if slug == "about:blank" else f"https://monocto.dev/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA, "example": example}},
    }


_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem(
        "The body is not JSON.",
        "about:blank",
        "Bad Request",
        400,
        "There was an error parsing the body",
    ),
    401: _problem(
        "No API key, or one that does not verify.",
        "unauthorized",
        "Unauthorized",
        401,
        "Missing or invalid API key.",
    ),
    403: _problem(
        "The key lacks the `moderate` scope.",
        "forbidden",
        "Forbidden",
        403,
        "This key lacks the 'moderate' scope.",
    ),
    422: _problem(
        "Malformed body, or an unsupported attribute name.",
        "invalid-request",
        "Invalid request",
        422,
        "Unsupported requestedAttributes: LIKELY_TO_REJECT. Supported attributes: TOXICITY, "
        "INSULT, PROFANITY, THREAT, IDENTITY_ATTACK, SEXUALLY_EXPLICIT, SPAM, SEVERE_TOXICITY.",
    ),
    429: _problem(
        "The tenant's rate limit is spent; retry after the Retry-After header's seconds.",
        "rate-limited",
        "Too Many Requests",
        429,
        "Rate limit exceeded.",
    ),
    413: _problem(
        "The body exceeds the configured limit.",
        "payload-too-large",
        "Payload Too Large",
        413,
        "body exceeds 1048576 bytes",
    ),
    503: _problem(
        "The models are still loading; retry after the Retry-After header's seconds.",
        "unavailable",
        "Service Unavailable",
        503,
        "the models are still loading",
    ),
}


@router.post(
    "/v1alpha1/comments:analyze",
    response_model=AnalyzeCommentResponse,
    response_model_exclude_none=True,
    responses=_RESPONSES,
    summary="Analyze a comment (Perspective API compatible)",
    dependencies=[Depends(require_scope(Scope.MODERATE))],
)
async def analyze_comment(
    request: AnalyzeCommentRequest, scorer: ScorerDep, policy: PolicyDep
) -> AnalyzeCommentResponse:
    """Drop-in replacement for Perspective's `comments:analyze`.

    Existing Perspective clients switch by pointing their base URL here; the API key may stay
    in the `?key=` query parameter. Request and response use Perspective's field names.

    **Attributes:** TOXICITY, INSULT, PROFANITY, THREAT, IDENTITY_ATTACK (our `hate_speech`),
    SEXUALLY_EXPLICIT (`sexual`), SPAM, and SEVERE_TOXICITY, which is derived:
    toxicity × max(threat, hate_speech, insult, toxicity × profanity), so it stays low for mild
    rudeness and friendly swearing and never exceeds TOXICITY.

    **Differences from Perspective:**

    - Scores come from this service's models, calibrated per category; the numbers differ from
      Perspective's, so revisit thresholds tuned on Perspective.
    - Unknown attribute names (including Perspective's experimental ones) are a 422 listing the
      supported names; other unknown body fields are ignored.
    - `spanAnnotations: true` scores each sentence: sentences holding the characters the
      engine blamed carry the summary score, others 0. When nothing was blamed, and always when
      `spanAnnotations` is false, one span covers the whole text, as Perspective returns.
    - Offsets count Unicode code points.
    - `languages` is echoed, not enforced: text in any language is scored.
    - `context` and `sessionId` are accepted and ignored; `doNotStore` is accepted, and this
      endpoint never stores the text anyway.
    - Errors are RFC 9457 problem+json, not Google's error envelope.
    """
    _mapper.check(request)
    [result] = await scorer.score([request.comment.text], policy)
    return _mapper.to_response(request, result)
