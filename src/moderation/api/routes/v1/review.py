"""The review workflow: users' reports on items, reviewers' claims, authors' appeals, and the
review queue."""

from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Path, Query, Response, status

from moderation.api.dependencies import PrincipalDep, ServicesDep, SettingsDep, require_scope
from moderation.api.openapi_responses import AUTHENTICATED, problems
from moderation.api.schemas import (
    AppealListResponse,
    AppealResponse,
    AuthorHistoryResponse,
    ClaimRequest,
    ClaimResponse,
    ContentResponse,
    CreateAppealRequest,
    CreateReportRequest,
    DecideAppealRequest,
    QueuePageResponse,
    ReportListResponse,
    ReportResponse,
    TransparencyResponse,
)
from moderation.core.config import Settings
from moderation.domain.models import (
    AppealStatus,
    ContentReport,
    ModerationStatus,
    QueueAssignment,
    QueueKind,
    Scope,
)
from moderation.domain.services import AppealService, ServiceSet

router = APIRouter(tags=["review"])

CanRead = Depends(require_scope(Scope.CONTENT_READ, Scope.MODERATE))
CanWrite = Depends(require_scope(Scope.CONTENT_WRITE))
CanModerate = Depends(require_scope(Scope.MODERATE))

_REPEATED_REPORT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The reporter's open report on this item, unchanged.",
        "model": ReportResponse,
    }
}


@router.post(
    "/api/v1/content/{content_id}/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportResponse,
    dependencies=[CanWrite],
    responses=problems(*AUTHENTICATED, 400, 404) | _REPEATED_REPORT,
)
async def report_content(
    content_id: UUID,
    body: CreateReportRequest,
    principal: PrincipalDep,
    services: ServicesDep,
    response: Response,
) -> ReportResponse:
    """A user's report (notice and action): 201 with the new report, or 200 with the
    reporter's report on this item that is still open. Any report puts the item in the review
    queue, approved items included; it stays open until a reviewer approves or rejects it."""
    report, created = await services.review.report(
        principal,
        content_id,
        reporter_id=body.reporter_id,
        reason=body.reason,
        details=body.details,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return _report(report)


@router.get(
    "/api/v1/content/{content_id}/reports",
    response_model=ReportListResponse,
    dependencies=[CanRead],
    responses=problems(*AUTHENTICATED, 404),
)
async def list_reports(
    content_id: UUID, principal: PrincipalDep, services: ServicesDep
) -> ReportListResponse:
    """Every report on the item, newest first."""
    reports = await services.review.reports(principal, content_id)
    return ReportListResponse(content_id=content_id, reports=[_report(r) for r in reports])


@router.post(
    "/api/v1/content/{content_id}/claim",
    response_model=ClaimResponse,
    dependencies=[CanModerate],
    responses=problems(*AUTHENTICATED, 400, 404, 409),
)
async def claim_content(
    content_id: UUID,
    principal: PrincipalDep,
    services: ServicesDep,
    body: Annotated[
        ClaimRequest | None, Body(openapi_examples={"ten minutes": {"value": {"seconds": 600}}})
    ] = None,
) -> ClaimResponse:
    """Claim the item for review (default 10 minutes; claiming again renews it). While the
    claim runs, another reviewer's claim or decision is a 409 naming its holder; the holder's
    decision ends it."""
    seconds = (body or ClaimRequest()).seconds
    claim = await services.review.claim(principal, content_id, seconds)
    return ClaimResponse.model_validate(claim, from_attributes=True)


@router.delete(
    "/api/v1/content/{content_id}/claim",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[CanModerate],
    responses=problems(*AUTHENTICATED, 404),
)
async def release_claim(
    content_id: UUID, principal: PrincipalDep, services: ServicesDep
) -> Response:
    """Release the caller's claim; a lead (scope `review:lead`) may release anyone's. 204
    also when there was no claim."""
    await services.review.release(principal, content_id)
    # An empty Response: FastAPI's default JSON response would label the empty 204 JSON.
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/v1/content/{content_id}/appeals",
    status_code=status.HTTP_201_CREATED,
    response_model=AppealResponse,
    dependencies=[CanWrite],
    responses=problems(*AUTHENTICATED, 400, 404, 409),
)
async def appeal_content(
    content_id: UUID,
    body: CreateAppealRequest,
    principal: PrincipalDep,
    services: ServicesDep,
    settings: SettingsDep,
) -> AppealResponse:
    """The author's appeal against the item's rejection (`author_id` must be the item's
    author, else 403). 409 when the item is not rejected, the appeal window
    (`MODERATION_APPEAL_WINDOW_DAYS`) has closed, or an appeal is open already. The item
    enters the review queue as `kind=appealed`."""
    appeal = await _appeals(services, settings).appeal(
        principal, content_id, author_id=body.author_id, statement=body.statement
    )
    return AppealResponse.model_validate(appeal)


@router.get(
    "/api/v1/content/{content_id}/appeals",
    response_model=AppealListResponse,
    dependencies=[CanRead],
    responses=problems(*AUTHENTICATED, 404),
)
async def list_appeals(
    content_id: UUID, principal: PrincipalDep, services: ServicesDep, settings: SettingsDep
) -> AppealListResponse:
    """Every appeal on the item, newest first."""
    appeals = await _appeals(services, settings).appeals(principal, content_id)
    return AppealListResponse(
        content_id=content_id, appeals=[AppealResponse.model_validate(a) for a in appeals]
    )


@router.post(
    "/api/v1/content/{content_id}/appeals/{appeal_id}/decision",
    response_model=AppealResponse,
    dependencies=[CanModerate],
    responses=problems(*AUTHENTICATED, 400, 404, 409),
)
async def decide_appeal(
    content_id: UUID,
    appeal_id: UUID,
    body: DecideAppealRequest,
    principal: PrincipalDep,
    services: ServicesDep,
    settings: SettingsDep,
) -> AppealResponse:
    """Decide an open appeal. The reviewer who made the contested decision may not (403).
    `overturned` re-decides the item as `status` (approved by default) and closes the appeal;
    `upheld` keeps the rejection. Both are in the item's audit trail. 409 when the appeal is
    decided already or another reviewer holds a claim on the item."""
    decided, _ = await _appeals(services, settings).decide(
        principal,
        content_id,
        appeal_id,
        outcome=AppealStatus(body.outcome),
        notes=body.notes,
        new_status=ModerationStatus(body.status),
    )
    return AppealResponse.model_validate(decided)


@router.get(
    "/api/v1/authors/{author_id}",
    response_model=AuthorHistoryResponse,
    dependencies=[CanModerate],
    responses=problems(*AUTHENTICATED),
)
async def author_history(
    author_id: Annotated[str, Path(min_length=1, max_length=128)],
    principal: PrincipalDep,
    services: ServicesDep,
    recent: Annotated[int, Query(ge=0, le=100, description="How many newest items")] = 10,
) -> AuthorHistoryResponse:
    """An author's record in the tenant, for a reviewer deciding one of their items: items
    per status, the reasons of their rejected and flagged items, reports on their items, their
    appeals, and their newest items. An author with no items gets zeros, not a 404."""
    history = await services.review.author(principal, author_id, recent=recent)
    return AuthorHistoryResponse.model_validate(history.model_dump())


@router.get(
    "/api/v1/queue",
    response_model=QueuePageResponse,
    dependencies=[CanModerate],
    responses=problems(*AUTHENTICATED),
)
async def review_queue(
    principal: PrincipalDep,
    services: ServicesDep,
    assigned: Annotated[
        QueueAssignment,
        Query(description="me: claimed by the caller; unassigned: claimed by nobody; any"),
    ] = QueueAssignment.ANY,
    kind: Annotated[
        QueueKind,
        Query(description="flagged items, reported items (any status), appealed items, or all"),
    ] = QueueKind.ALL,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> QueuePageResponse:
    """Items waiting for a reviewer, in priority order: the most open reports first, then the
    highest engine score, then the longest waiting (since the first report, or since it was
    stored)."""
    found = await services.review.queue(
        principal, kind=kind, assignment=assigned, page=page, size=size
    )
    return QueuePageResponse(
        items=[ContentResponse.model_validate(i, from_attributes=True) for i in found.items],
        total=found.total,
        page=found.page,
        size=found.size,
        pages=found.pages,
    )


def _appeals(services: ServiceSet, settings: Settings) -> AppealService:
    return services.appeals(timedelta(days=settings.appeal_window_days))


def _report(report: ContentReport) -> ReportResponse:
    return ReportResponse(
        **report.model_dump(exclude={"tenant_id"}), dsa_category=report.reason.dsa_category
    )


@router.get(
    "/api/v1/transparency",
    response_model=TransparencyResponse,
    dependencies=[Depends(require_scope(Scope.POLICY_ADMIN, Scope.MODERATE))],
    responses=problems(*AUTHENTICATED, 400),
)
async def transparency(
    principal: PrincipalDep,
    services: ServicesDep,
    start: Annotated[datetime, Query(alias="from", description="Inclusive, with a UTC offset")],
    end: Annotated[datetime, Query(alias="to", description="Exclusive; at most 367 days on")],
) -> TransparencyResponse:
    """The tenant's DSA Art. 15 figures over [from, to): decisions by source, status and reason,
    the automated share, median times (storing → first decision, report → decision, appeal →
    decision), reports received and acted on, appeals received, upheld and overturned, and the
    accuracy of automated decisions as their reviewer-overturn rate."""
    report = await services.transparency.report(principal, start, end)
    return TransparencyResponse.model_validate(report.model_dump())
