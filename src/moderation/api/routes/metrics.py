"""Prometheus metrics.

Who may scrape: with `MODERATION_METRICS_TOKEN` set, whoever presents it as bearer (and nobody
else: a tenant's key never reads the operator's metrics). Without it, only loopback clients that
came directly (no proxy headers), so a Prometheus on the same host scrapes the default install
while nothing reaches the figures through the network or a reverse proxy.
"""

import hmac
import ipaddress

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from moderation.api.app_resources import AppResources, ResourcesDep
from moderation.api.authentication import bearer, failed_auth_throttle
from moderation.api.openapi_responses import problems
from moderation.core.exceptions import UnauthorizedError

_log = structlog.get_logger(__name__)

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"example": "moderation_http_requests_total{...} 42.0\n"}}},
        **problems(401, 429),
    },
)
async def metrics(
    request: Request,
    resources: ResourcesDep,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
) -> Response:
    """Prometheus text format. With `MODERATION_METRICS_TOKEN` set, that token is the bearer it
    needs (API keys and JWTs are not accepted); unset, it answers loopback clients only (401
    otherwise)."""
    token = resources.settings.metrics_token
    # An empty MODERATION_METRICS_TOKEN= is no token: it must not match an absent credential.
    expected = token.get_secret_value() if token is not None else ""
    if expected:
        await _check_token(request, resources, credentials, expected)
    elif not _direct_loopback(request):
        # 401, not 403: the remedy is a credential (the operator's metrics token).
        raise UnauthorizedError(
            "/metrics answers loopback clients only; set MODERATION_METRICS_TOKEN to scrape "
            "it from elsewhere"
        )
    if resources.scorer is not None:
        resources.metrics.set_scoring_backlog(resources.scorer.queued_texts)
    await _set_queue_depth(resources)
    body, content_type = resources.metrics.render()
    return Response(body, media_type=content_type)


async def _check_token(
    request: Request,
    resources: AppResources,
    credentials: HTTPAuthorizationCredentials | None,
    expected: str,
) -> None:
    if credentials is None:
        raise UnauthorizedError("missing bearer credential")
    throttle = failed_auth_throttle(resources)
    # Guessing the token is throttled like guessing a key.
    await throttle.check(request)
    # Bytes: compare_digest refuses str with non-ASCII characters (a raw latin-1 header).
    presented = credentials.credentials.encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(presented, expected.encode("utf-8")):
        await throttle.record_failure(request)
        raise UnauthorizedError("invalid metrics token")


def _direct_loopback(request: Request) -> bool:
    # A proxy on the same host makes every client look local; the headers it adds give it away.
    if "x-forwarded-for" in request.headers or "forwarded" in request.headers:
        return False
    host = request.client.host if request.client is not None else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


async def _set_queue_depth(resources: AppResources) -> None:
    """Read the backlog from the database at scrape time: with Celery workers this process runs
    no worker loop that would keep the gauge current, and the table is the truth either way."""
    try:
        async with resources.transactions.transaction(write=False) as repos:
            pending = await repos.content.pending_count()
            unrelayed = await repos.events.unpublished_count()
    except (SQLAlchemyError, OSError):
        # A database outage must not hide every other metric; the gauge keeps its last value.
        _log.warning("metrics.queue_depth_unavailable", exc_info=True)
        return
    resources.metrics.set_queue_depth(pending)
    resources.metrics.set_outbox_backlog(unrelayed)
