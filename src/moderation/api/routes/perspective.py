"""Perspective-API-compatible endpoints: `POST /v1alpha1/comments:analyze` and
`POST /v1alpha1/comments:suggestscore` (their discovery document: `perspective_discovery`)."""

from fastapi import APIRouter, Depends

from moderation.api.dependencies import (
    PrincipalDep,
    ScoreCacheDep,
    ScorerDep,
    ScoreSuggestionServiceDep,
    TenantPolicyDep,
    require_scope,
)
from moderation.api.perspective import PerspectiveMapper
from moderation.api.perspective.google_responses import google_errors
from moderation.api.schemas.perspective import (
    AnalyzeCommentRequest,
    AnalyzeCommentResponse,
    SuggestCommentScoreRequest,
    SuggestCommentScoreResponse,
)
from moderation.api.scored_texts import scored_texts
from moderation.domain.models import ModerationResult, Principal, Scope
from moderation.domain.policy import TenantPolicy
from moderation.domain.services import ScoringCache, TextScorer

router = APIRouter(tags=["perspective"])

_mapper = PerspectiveMapper()
_RESPONSES = google_errors(400, 401, 403, 413, 429, 503)


async def _scored(
    text: str,
    scorer: TextScorer,
    tenant_policy: TenantPolicy,
    principal: Principal,
    cache: ScoringCache | None,
) -> ModerationResult:
    # The /api/v1/moderate path (engine batching, tenant policy, score cache, limits), so a
    # text scores the same whichever API asked.
    [result] = await scored_texts([text], scorer, tenant_policy, principal, cache)
    return ModerationResult.model_validate(result)


@router.post(
    "/v1alpha1/comments:analyze",
    response_model=AnalyzeCommentResponse,
    response_model_exclude_none=True,
    responses=_RESPONSES,
    summary="Analyze a comment (Perspective API compatible)",
    dependencies=[Depends(require_scope(Scope.MODERATE))],
)
async def analyze_comment(
    request: AnalyzeCommentRequest,
    scorer: ScorerDep,
    tenant_policy: TenantPolicyDep,
    principal: PrincipalDep,
    cache: ScoreCacheDep,
) -> AnalyzeCommentResponse:
    """Drop-in replacement for Perspective's `comments:analyze`.

    Existing Perspective clients switch by pointing their base URL (or Google's client's
    `discoveryServiceUrl`, see `GET /$discovery/rest`) here; the API key may stay in the
    `?key=` query parameter. Request and response use Perspective's field names. Texts are
    scored exactly as `/api/v1/moderate` scores them: same engine, tenant policy and cache.

    **Attributes:** TOXICITY, INSULT, PROFANITY, THREAT, IDENTITY_ATTACK (our `hate_speech`),
    SEXUALLY_EXPLICIT (`sexual`), SPAM, and SEVERE_TOXICITY, which is derived:
    toxicity × max(threat, hate_speech, insult, toxicity × profanity), so it stays low for mild
    rudeness and friendly swearing and never exceeds TOXICITY.

    **Differences from Perspective:**

    - Scores come from this service's models, calibrated per category; the numbers differ from
      Perspective's, so revisit thresholds tuned on Perspective.
    - Unknown attribute names (including Perspective's experimental ones) are a 400 naming the
      supported ones; other unknown body fields are ignored.
    - `spanAnnotations: true` scores each sentence: sentences holding the characters the
      engine blamed carry the summary score, others 0 (for TOXICITY and SEVERE_TOXICITY,
      characters blamed under any of toxicity, insult, threat, hate speech or profanity). When
      nothing was blamed, and always when `spanAnnotations` is false, one span covers the
      whole text, as Perspective returns.
    - Offsets count Unicode code points. A comment holds at most 20,480 characters.
    - `languages` is echoed, not enforced: text in any language is scored (Perspective answers
      400 for a language an attribute does not support); `detectedLanguages` is the engine's.
    - `context`, `sessionId` and `communityId` are accepted and ignored; `doNotStore` is
      accepted, and this endpoint never stores the text anyway.
    - Errors use Google's envelope, `{"error": {"code", "message", "status", "details"}}`, so
      Google's client raises `HttpError` with the message as its reason.
    """
    _mapper.check(request)
    result = await _scored(request.comment.text, scorer, tenant_policy, principal, cache)
    return _mapper.to_response(request, result)


@router.post(
    "/v1alpha1/comments:suggestscore",
    response_model=SuggestCommentScoreResponse,
    response_model_exclude_none=True,
    responses=_RESPONSES,
    summary="Suggest scores for a comment (Perspective API compatible)",
    dependencies=[Depends(require_scope(Scope.MODERATE))],
)
async def suggest_comment_score(
    request: SuggestCommentScoreRequest,
    scorer: ScorerDep,
    tenant_policy: TenantPolicyDep,
    principal: PrincipalDep,
    cache: ScoreCacheDep,
    suggestions: ScoreSuggestionServiceDep,
) -> SuggestCommentScoreResponse:
    """Drop-in replacement for Perspective's `comments:suggestscore`: tell the service what
    scores a comment deserves.

    The suggestion is **stored** with the caller's tenant and key: the text, each attribute's
    suggested summary (and span) scores, `languages`, `communityId`, `clientToken`, the
    detected language and what this service scored the text at the time. Operators export
    them as labelled JSON Lines with `moderation export-suggestions --tenant T -o FILE`, for
    training or for checking the model against their moderators. Suggestions never change
    scores by themselves.

    Attribute names are checked as on `comments:analyze`; values are probabilities in [0, 1],
    span offsets must lie within the comment (at most 20,480 characters).
    """
    _mapper.check_names(request.attribute_scores, "attributeScores")
    text = request.comment.text
    result = await _scored(text, scorer, tenant_policy, principal, cache)
    detected = _mapper.detected_languages(result)
    await suggestions.record(
        principal,
        text,
        {name: scores.summary_score.value for name, scores in request.attribute_scores.items()},
        spans={
            name: [(span.begin, span.end, span.score.value) for span in scores.span_scores or []]
            for name, scores in request.attribute_scores.items()
        },
        languages=request.languages or [],
        detected_language=detected[0] if detected else None,
        community_id=request.community_id,
        client_token=request.client_token,
        model_version=result.model_version,
        model_scores=_mapper.model_scores(request.attribute_scores, result),
    )
    return SuggestCommentScoreResponse(
        detected_languages=detected,
        requested_languages=request.languages or [],
        client_token=request.client_token,
    )
