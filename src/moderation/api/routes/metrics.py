"""Prometheus metrics."""

import hmac

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from moderation.api.app_resources import AppResources
from moderation.api.dependencies import ResourcesDep, _bearer, get_principal
from moderation.api.openapi_responses import problems
from moderation.infrastructure.repositories import SqlContentRepository, SqlEventRepository

_log = structlog.get_logger(__name__)

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"example": "moderation_http_requests_total{...} 42.0\n"}}},
        **problems(401),
    },
)
async def metrics(
    request: Request,
    resources: ResourcesDep,
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
) -> Response:
    """Prometheus text format. Needs `MODERATION_METRICS_TOKEN` as bearer when that is set,
    otherwise any valid API key or JWT."""
    token = resources.settings.metrics_token
    presented = credentials.credentials if credentials else ""
    # An empty MODERATION_METRICS_TOKEN= must not match an absent credential.
    expected = token.get_secret_value() if token is not None else ""
    if not expected or not hmac.compare_digest(presented, expected):
        await get_principal(request, resources, credentials)
    if resources.scorer is not None:
        resources.metrics.set_scoring_backlog(resources.scorer.queued_texts)
    await _set_queue_depth(resources)
    body, content_type = resources.metrics.render()
    return Response(body, media_type=content_type)


async def _set_queue_depth(resources: AppResources) -> None:
    """Read the backlog from the database at scrape time: with Celery workers this process runs
    no worker loop that would keep the gauge current, and the table is the truth either way."""
    try:
        async with resources.database.sessions() as session:
            pending = await SqlContentRepository(session).pending_count()
            unrelayed = await SqlEventRepository(session).unpublished_count()
    except (SQLAlchemyError, OSError):
        # A database outage must not hide every other metric; the gauge keeps its last value.
        _log.warning("metrics.queue_depth_unavailable", exc_info=True)
        return
    resources.metrics.set_queue_depth(pending)
    resources.metrics.set_outbox_backlog(unrelayed)
