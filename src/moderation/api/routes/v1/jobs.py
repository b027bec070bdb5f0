"""Long-running jobs: bulk imports and re-scores, submitted with 202 and polled for progress."""

import asyncio
import contextlib
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response, status

from moderation.api.dependencies import JobServiceDep, PrincipalDep, ResourcesDep, require_scope
from moderation.api.openapi_responses import AUTHENTICATED, problems
from moderation.api.schemas import JobPageResponse, JobResponse, RescoreRequest
from moderation.core.exceptions import ForbiddenError, InvalidRequestError, PayloadTooLargeError
from moderation.domain.models import Job, JobKind, Scope
from moderation.domain.services import ServiceSet
from moderation.workers.handlers import discard_upload, import_path

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

IMPORT_PATH = "/api/v1/jobs/import"

CanRead = Depends(require_scope(Scope.CONTENT_READ, Scope.CONTENT_WRITE, Scope.MODERATE))
CanWrite = Depends(require_scope(Scope.CONTENT_WRITE))
CanModerate = Depends(require_scope(Scope.MODERATE))
CanCancel = Depends(require_scope(Scope.CONTENT_WRITE, Scope.MODERATE))

_JSONL_TYPES = frozenset(
    {
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
        "application/x-jsonlines",
        "application/jsonlines",
        "application/json-lines",
    }
)
_CSV_TYPES = frozenset({"text/csv", "application/csv"})

_JSONL_EXAMPLE = (
    '{"title": "Great blender", "body": "Crushes ice in seconds.", "author_id": "user-8231"}\n'
    '{"title": "Question", "body": "Does it fit a 1 l jar?", "author_id": "user-17", '
    '"content_type": "text", "tags": ["question"], "language": "en"}\n'
)
_CSV_EXAMPLE = (
    "title,body,author_id,tags\n"
    'Great blender,"Crushes ice in seconds.",user-8231,review;kitchen\n'
    'Question,"Does it fit a 1 l jar?",user-17,question\n'
)
_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The items, one per JSONL line (the fields of `POST /api/v1/content`; "
        "`content_type` defaults to text) or per CSV row (a header row names the fields; tags "
        "separated by `;`, metadata as a JSON object).",
        "content": {
            "application/x-ndjson": {
                "schema": {"type": "string", "format": "binary"},
                "example": _JSONL_EXAMPLE,
            },
            "text/csv": {
                "schema": {"type": "string", "format": "binary"},
                "example": _CSV_EXAMPLE,
            },
        },
    }
}
_ACCEPTED = {
    "description": "The job was accepted: follow `Location` for its progress",
    "headers": {"Location": {"description": "The job resource", "schema": {"type": "string"}}},
}


@router.post(
    "/import",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobResponse,
    dependencies=[CanWrite],
    responses={202: _ACCEPTED, **problems(*AUTHENTICATED, 400, 413)},
    openapi_extra=_IMPORT_BODY,
)
async def submit_import(
    request: Request,
    principal: PrincipalDep,
    resources: ResourcesDep,
    response: Response,
    file_format: Annotated[
        Literal["jsonl", "csv"] | None,
        Query(alias="format", description="Overrides the format the Content-Type implies."),
    ] = None,
) -> JobResponse:
    """Import up to `MODERATION_IMPORT_MAX_BYTES` of JSONL or CSV as pending content items.

    The upload is stored and a job created (202); the job creates the items in batches, each
    moderated like any other, and reports progress. Invalid records are counted and the first
    ones listed in `result.errors`; the others are imported. Cancel with `POST …/cancel`."""
    settings = resources.settings
    chosen = file_format or _format_of(request.headers.get("content-type", ""))
    job_id = uuid.uuid4()
    name = f"{job_id}.{chosen}"
    target = import_path(settings.data_dir, name)
    # No request session: on SQLite it would hold the write lock for the whole upload.
    size = await _store_upload(request, target, settings.import_max_bytes)
    try:
        async with resources.transactions.transaction() as repos:
            job = await ServiceSet(repos).jobs.submit_import(
                principal, job_id, file=name, file_format=chosen, size=size
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    # Its task was sent when the transaction committed (a lost send: the sweeper re-sends it).
    return _accepted(job, response)


@router.post(
    "/rescore",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobResponse,
    dependencies=[CanModerate],
    responses={202: _ACCEPTED, **problems(*AUTHENTICATED, 400, 413)},
)
async def submit_rescore(
    body: RescoreRequest, principal: PrincipalDep, service: JobServiceDep, response: Response
) -> JobResponse:
    """Re-run the engine on the tenant's items (after a policy or model change), in batches.

    Reviewer decisions are kept; an engine decision is replaced (and audited) only when the new
    result differs, so running the same re-score twice changes nothing the second time."""
    job = await service.submit_rescore(principal.tenant_id, principal.actor, status=body.status)
    return _accepted(job, response)


@router.get(
    "",
    response_model=JobPageResponse,
    dependencies=[CanRead],
    responses=problems(*AUTHENTICATED),
)
async def list_jobs(
    principal: PrincipalDep,
    service: JobServiceDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> JobPageResponse:
    """The tenant's jobs, newest first."""
    jobs, total = await service.page(principal, page=page, size=size)
    return JobPageResponse(
        items=[JobResponse.of(job) for job in jobs], total=total, page=page, size=size
    )


@router.get(
    "/{job_id:uuid}",
    response_model=JobResponse,
    dependencies=[CanRead],
    responses=problems(*AUTHENTICATED, 404),
)
async def get_job(job_id: UUID, principal: PrincipalDep, service: JobServiceDep) -> JobResponse:
    """A job's status and progress."""
    return JobResponse.of(await service.get(principal, job_id))


@router.post(
    "/{job_id:uuid}/cancel",
    response_model=JobResponse,
    dependencies=[CanCancel],
    responses=problems(*AUTHENTICATED, 404, 409),
)
async def cancel_job(job_id: UUID, principal: PrincipalDep, resources: ResourcesDep) -> JobResponse:
    """Cancel a job: a queued one at once, a running one after its current batch (items it
    already created stay). A cancelled import's upload is deleted. Cancelling twice is
    harmless; a finished job answers 409."""
    # Its own transaction, not the request's: the upload may go only once the cancel is
    # committed (a rolled-back cancel leaves a queued job that still needs its file).
    async with resources.transactions.transaction() as repos:
        service = ServiceSet(repos).jobs
        job = await service.get(principal, job_id)
        needed = Scope.CONTENT_WRITE if job.kind == JobKind.IMPORT else Scope.MODERATE
        if not principal.has(needed):
            raise ForbiddenError(f"cancelling a {job.kind} job requires scope '{needed}'")
        job = await service.cancel(principal, job_id)
    # A running import stops at its next batch; its runner deletes the upload then.
    await discard_upload(resources.settings.data_dir, job)
    return JobResponse.of(job)


def _accepted(job: Job, response: Response) -> JobResponse:
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return JobResponse.of(job)


def _format_of(content_type: str) -> Literal["jsonl", "csv"]:
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _JSONL_TYPES:
        return "jsonl"
    if media in _CSV_TYPES:
        return "csv"
    raise InvalidRequestError(
        f"cannot import {media or 'a body without Content-Type'}: send application/x-ndjson "
        "or text/csv (or say ?format=jsonl|csv)"
    )


async def _store_upload(request: Request, target: Path, max_bytes: int) -> int:
    """Stream the body to `target` (never whole in memory); returns its size."""
    partial = target.with_suffix(target.suffix + ".part")
    await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
    size = 0
    try:
        with partial.open("wb") as handle:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLargeError(f"the import exceeds {max_bytes} bytes")
                handle.write(chunk)
        if size == 0:
            raise InvalidRequestError("the import is empty")
        await asyncio.to_thread(partial.replace, target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    return size
