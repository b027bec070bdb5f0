"""Stored content: create, read, list, stats, decide, re-analyse, audit history."""

import hashlib
import json
import time
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Response, status

from moderation.api.dependencies import (
    AutoModerationServiceDep,
    ContentServiceDep,
    PrincipalDep,
    ResourcesDep,
    check_backlog,
    require_scope,
)
from moderation.api.openapi_responses import AUTHENTICATED, problems
from moderation.api.schemas import (
    AuditEntryResponse,
    BulkModerateRequest,
    BulkModerateResponse,
    BulkOutcome,
    ContentPageResponse,
    ContentResponse,
    ContentStatsResponse,
    CreateContentRequest,
    HistoryResponse,
    ModerateContentRequest,
    ModerationResponse,
)
from moderation.core.exceptions import ModerationError, NotFoundError
from moderation.domain.models import (
    ContentItem,
    HumanDecision,
    ModerationStatus,
    Scope,
)

router = APIRouter(prefix="/api/v1/content", tags=["content"])

CanRead = Depends(require_scope(Scope.CONTENT_READ, Scope.MODERATE))
CanWrite = Depends(require_scope(Scope.CONTENT_WRITE))
CanModerate = Depends(require_scope(Scope.MODERATE))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ContentResponse,
    dependencies=[CanWrite, Depends(check_backlog)],
    responses={
        200: {
            "description": "A retry with the same Idempotency-Key: the original item",
            "model": ContentResponse,
        },
        **problems(*AUTHENTICATED, 400, 409, 413, 503),
    },
)
async def create_content(
    body: CreateContentRequest,
    principal: PrincipalDep,
    service: ContentServiceDep,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            description="Retries with the same key return the first result and create nothing.",
        ),
    ] = None,
) -> ContentResponse:
    """Store an item as `pending`; the engine decides it right after commit, under the tenant's
    policy (poll `GET /content/{id}` or its history). `ContentCreated` is recorded atomically."""
    request_hash = hashlib.sha256(
        json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()
    item, replayed = await service.create(
        principal,
        body,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    response.headers["Location"] = f"/api/v1/content/{item.id}"
    if replayed:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return _content(item)


@router.get(
    "",
    response_model=ContentPageResponse,
    dependencies=[CanRead],
    responses=problems(*AUTHENTICATED),
)
async def list_content(
    principal: PrincipalDep,
    service: ContentServiceDep,
    status_: Annotated[ModerationStatus | None, Query(alias="status")] = None,
    author_id: Annotated[str | None, Query(max_length=128)] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    order: Annotated[
        Literal["newest", "oldest"],
        Query(description="oldest first suits working through the review queue"),
    ] = "newest",
) -> ContentPageResponse:
    """The tenant's content, newest first; filter by status (the review queue is
    `status=flagged&order=oldest`), author and tag."""
    found = await service.search(
        principal,
        status=status_,
        author_id=author_id,
        tag=tag,
        page=page,
        size=size,
        oldest_first=order == "oldest",
    )
    return ContentPageResponse(
        items=[_content(item) for item in found.items],
        total=found.total,
        page=found.page,
        size=found.size,
        pages=found.pages,
    )


@router.get(
    "/stats",
    response_model=ContentStatsResponse,
    dependencies=[CanRead],
    responses=problems(*AUTHENTICATED),
)
async def content_stats(
    principal: PrincipalDep, service: ContentServiceDep
) -> ContentStatsResponse:
    """Counts per status and per reason."""
    stats = await service.stats(principal)
    return ContentStatsResponse(**stats.model_dump())


@router.post(
    "/moderate/bulk",
    response_model=BulkModerateResponse,
    dependencies=[CanModerate],
    responses=problems(*AUTHENTICATED, 400, 413),
)
async def bulk_moderate(
    body: BulkModerateRequest,
    principal: PrincipalDep,
    service: ContentServiceDep,
    resources: ResourcesDep,
) -> BulkModerateResponse:
    """Up to 100 reviewer decisions; unknown ids are reported per item, not fatal."""
    outcomes: list[BulkOutcome] = []
    for entry in body.items:
        started = time.perf_counter()
        try:
            item, _ = await service.decide(
                principal,
                entry.content_id,
                HumanDecision(
                    status=ModerationStatus(entry.status), reasons=entry.reasons, notes=entry.notes
                ),
            )
        except NotFoundError as error:
            outcomes.append(
                BulkOutcome(content_id=entry.content_id, outcome="not_found", error=error.detail)
            )
            continue
        except ModerationError as error:
            outcomes.append(
                BulkOutcome(content_id=entry.content_id, outcome="invalid", error=error.detail)
            )
            continue
        resources.metrics.record_decision(
            "human", str(item.moderation_status), [str(r) for r in item.moderation_reasons], []
        )
        outcomes.append(
            BulkOutcome(
                content_id=entry.content_id,
                outcome="decided",
                result=_moderation(item, started),
            )
        )
    decided = sum(1 for o in outcomes if o.outcome == "decided")
    return BulkModerateResponse(decided=decided, failed=len(outcomes) - decided, results=outcomes)


@router.get(
    "/{content_id}",
    response_model=ContentResponse,
    dependencies=[CanRead],
    responses=problems(*AUTHENTICATED, 404),
)
async def get_content(
    content_id: UUID, principal: PrincipalDep, service: ContentServiceDep, resources: ResourcesDep
) -> Response:
    """One item and its current moderation state."""

    async def load() -> bytes:
        item = _content(await service.get(principal, content_id)).model_dump(mode="json")
        # Rendered as FastAPI renders a returned model, so cached and uncached answers (and the
        # listing's items) are the same bytes.
        return json.dumps(item, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()

    # With Redis, read through the content cache, which every write invalidates after commit.
    cache = resources.content_cache if resources.settings.content_cache_seconds else None
    body = await (cache.read(principal.tenant_id, content_id, load) if cache else load())
    return Response(body, media_type="application/json")


@router.get(
    "/{content_id}/history",
    response_model=HistoryResponse,
    dependencies=[CanRead],
    responses=problems(*AUTHENTICATED, 404),
)
async def content_history(
    content_id: UUID, principal: PrincipalDep, service: ContentServiceDep
) -> HistoryResponse:
    """Every decision on the item, engine and human, oldest first."""
    entries = await service.history(principal, content_id)
    return HistoryResponse(
        content_id=content_id,
        entries=[AuditEntryResponse.model_validate(e, from_attributes=True) for e in entries],
    )


@router.post(
    "/{content_id}/moderate",
    response_model=ModerationResponse,
    dependencies=[CanModerate],
    responses=problems(*AUTHENTICATED, 400, 404, 409, 413),
)
async def moderate_content(
    content_id: UUID,
    body: ModerateContentRequest,
    principal: PrincipalDep,
    service: ContentServiceDep,
    resources: ResourcesDep,
) -> ModerationResponse:
    """A reviewer's decision. It overrides the engine's and is recorded with who and when.
    Another reviewer's running claim on the item makes it a 409 naming them; the decision ends
    the caller's own claim, and approving or rejecting closes the item's open reports."""
    started = time.perf_counter()
    item, _ = await service.decide(
        principal,
        content_id,
        HumanDecision(status=ModerationStatus(body.status), reasons=body.reasons, notes=body.notes),
    )
    resources.metrics.record_decision(
        "human", str(item.moderation_status), [str(r) for r in item.moderation_reasons], []
    )
    return _moderation(item, started)


@router.post(
    "/{content_id}/analyze",
    response_model=ModerationResponse,
    dependencies=[CanModerate],
    responses=problems(*AUTHENTICATED, 404, 409, 503),
)
async def analyze_content(
    content_id: UUID,
    principal: PrincipalDep,
    content: ContentServiceDep,
    engine: AutoModerationServiceDep,
    override_human: Annotated[
        bool, Query(description="Let the engine replace a reviewer's decision.")
    ] = False,
) -> ModerationResponse:
    """Re-run the engine on the item now (e.g. after a policy change) and record the result.
    An item a reviewer decided answers 409 unless `override_human=true`."""
    started = time.perf_counter()
    item = await content.get(principal, content_id)
    decided, _, _ = await engine.analyze(principal, item, override_human=override_human)
    return _moderation(decided, started)


def _content(item: ContentItem) -> ContentResponse:
    return ContentResponse.model_validate(item, from_attributes=True)


def _moderation(item: ContentItem, started: float) -> ModerationResponse:
    return ModerationResponse(
        content_id=item.id,
        status=item.moderation_status,
        score=item.moderation_score if item.moderation_score is not None else 0.0,
        reasons=item.moderation_reasons,
        confidence=item.moderation_confidence or 0.0,
        processing_time_ms=round((time.perf_counter() - started) * 1000),
    )
