"""FastAPI dependencies, declared once as `Annotated` aliases and used by every route."""

import contextlib
import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated
from uuid import UUID

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.api.app_resources import AppResources
from moderation.core.config import Settings
from moderation.core.exceptions import (
    ForbiddenError,
    RateLimitedError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from moderation.domain.models import Principal, Scope
from moderation.domain.policy import ModerationPolicy, TenantPolicy
from moderation.domain.services import (
    AuthenticationService,
    AutoModerationService,
    ContentService,
    JobService,
    PolicyService,
    TextScorer,
    WebhookService,
)
from moderation.infrastructure.cache import ScoreCache
from moderation.infrastructure.repositories import (
    OUTBOX_EVENTS_FLAG,
    PENDING_CONTENT_IDS,
    PENDING_WORK_FLAG,
    QUEUED_JOB_IDS,
    SqlApiKeyRepository,
    SqlAuditRepository,
    SqlContentRepository,
    SqlEventRepository,
    SqlIdempotencyRepository,
    SqlJobRepository,
    SqlPolicyRepository,
    SqlTenantRepository,
    SqlWebhookDeliveryRepository,
    SqlWebhookEndpointRepository,
)

_log = structlog.get_logger(__name__)

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key (`mod_…`) from `moderation keys create`, or a JWT for reviewer tools.",
)

# Verified credentials are remembered briefly: a key lookup per request would cost a database
# round trip. A revoked key therefore stops working within this many seconds.
AUTH_CACHE_SECONDS = 5.0
_AUTH_CACHE_LIMIT = 10_000
# Reading the policy version is a query per request; a second of staleness is harmless because
# every decision records the version it actually used, and PUT /policy clears this process's
# entry at once (other replicas follow within this many seconds).
POLICY_CACHE_SECONDS = 1.0


async def get_resources(request: Request) -> AppResources:
    resources: AppResources = request.app.state.resources
    return resources


ResourcesDep = Annotated[AppResources, Depends(get_resources)]


async def get_settings(resources: ResourcesDep) -> Settings:
    return resources.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


# POSTs that only read (scoring); every other non-GET request may write.
_READ_ONLY_POSTS = frozenset({"/api/v1/moderate", "/v1alpha1/comments:analyze"})


async def get_session(request: Request, resources: ResourcesDep) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: commits when the route returns, rolls back if it raises."""
    database = resources.database
    writes = request.method not in ("GET", "HEAD") and request.url.path not in _READ_ONLY_POSTS
    lock = database.writing() if writes else contextlib.nullcontext()
    async with lock, database.sessions() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
    # After the write lock is released (Redis and broker round trips must not hold up the next
    # writer) and before the response: a client reads its own write, cache included.
    await database.committed(session)
    # Only after commit may the worker look: before it, it would find nothing.
    if session.info.pop(PENDING_WORK_FLAG, False) and resources.worker is not None:
        resources.worker.wake()
    if session.info.pop(OUTBOX_EVENTS_FLAG, False) and resources.relay is not None:
        resources.relay.wake()
    await _send_tasks(resources, session)


async def _send_tasks(resources: AppResources, session: AsyncSession) -> None:
    """Send the tasks for what the request committed: its pending items and its jobs."""
    pending: list[UUID] = session.info.pop(PENDING_CONTENT_IDS, [])
    jobs: list[UUID] = session.info.pop(QUEUED_JOB_IDS, [])
    queue = resources.job_queue
    if queue is None or not (pending or jobs):
        return
    try:
        await queue.moderate(pending)
        for job_id in jobs:
            await queue.run_job(job_id)
    except Exception:
        # Committed work is in the database: the sweeper sends it after its grace period.
        _log.warning("tasks.send_failed", items=len(pending), jobs=len(jobs), exc_info=True)


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_principal(
    request: Request,
    resources: ResourcesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The authenticated caller; also enforces the per-credential rate limit.

    Needs no request session: verified credentials are cached, and a miss opens its own short
    read session, so the hot scoring path touches no database at all."""
    token = credentials.credentials if credentials is not None else None
    if token is None and request.url.path.startswith("/v1alpha1/"):
        # Perspective clients send their key as ?key=…; accepted on that API only.
        token = request.query_params.get("key")
    if not token:
        raise UnauthorizedError("missing bearer credential")
    principal = await _authenticate(resources, token)
    request.state.tenant_id = str(principal.tenant_id)
    structlog.contextvars.bind_contextvars(tenant_id=str(principal.tenant_id))
    decision = await resources.rate_limiter.hit(
        principal.actor, resources.settings.rate_limit_per_minute
    )
    if not decision.allowed:
        resources.metrics.count_rate_limited()
        raise RateLimitedError(
            f"rate limit of {decision.limit} requests per minute exceeded",
            retry_after=decision.retry_after,
        )
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_scope(*scopes: Scope) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits callers holding any of `scopes`."""

    async def check(principal: PrincipalDep) -> Principal:
        if not any(principal.has(scope) for scope in scopes):
            wanted = " or ".join(f"'{scope}'" for scope in scopes)
            raise ForbiddenError(f"this operation requires scope {wanted}")
        return principal

    return check


async def get_scorer(resources: ResourcesDep) -> TextScorer:
    if resources.scorer is None:
        raise ServiceUnavailableError("the models are still loading", retry_after=5)
    return resources.scorer


ScorerDep = Annotated[TextScorer, Depends(get_scorer)]


async def get_score_cache(request: Request, resources: ResourcesDep) -> ScoreCache | None:
    """The process's cache of scoring results; None without Redis or when disabled."""
    ttl = resources.settings.score_cache_seconds
    if resources.redis is None or ttl == 0:
        return None
    # One per Redis client, built on first use: its circuit-breaker state must outlive the
    # request, and a restarted lifespan brings a new client.
    cache: ScoreCache | None = getattr(request.app.state, "score_cache", None)
    if cache is None or cache.client is not resources.redis:
        cache = ScoreCache(resources.redis, ttl, on_error=resources.metrics.count_redis_error)
        request.app.state.score_cache = cache
    return cache


ScoreCacheDep = Annotated[ScoreCache | None, Depends(get_score_cache)]


async def get_policy_service(session: SessionDep) -> PolicyService:
    return PolicyService(SqlPolicyRepository(session), SqlEventRepository(session))


PolicyServiceDep = Annotated[PolicyService, Depends(get_policy_service)]


async def get_tenant_policy(principal: PrincipalDep, resources: ResourcesDep) -> TenantPolicy:
    """The tenant's policy in force (cached per process for `POLICY_CACHE_SECONDS`)."""
    now = time.monotonic()
    cached = _policy_cache.get(principal.tenant_id)
    if cached is not None and cached[1] > now:
        return cached[0]
    async with resources.database.sessions() as session:
        policies = PolicyService(SqlPolicyRepository(session), SqlEventRepository(session))
        current = await policies.current(principal.tenant_id)
    if len(_policy_cache) >= _AUTH_CACHE_LIMIT:
        _policy_cache.clear()
    _policy_cache[principal.tenant_id] = (current, now + POLICY_CACHE_SECONDS)
    return current


TenantPolicyDep = Annotated[TenantPolicy, Depends(get_tenant_policy)]


async def get_policy(tenant_policy: TenantPolicyDep) -> ModerationPolicy:
    return tenant_policy.policy


PolicyDep = Annotated[ModerationPolicy, Depends(get_policy)]


async def get_content_service(session: SessionDep) -> ContentService:
    return ContentService(
        SqlContentRepository(session),
        SqlAuditRepository(session),
        SqlEventRepository(session),
        SqlIdempotencyRepository(session),
    )


ContentServiceDep = Annotated[ContentService, Depends(get_content_service)]


async def get_auto_moderation_service(
    session: SessionDep, policies: PolicyServiceDep, scorer: ScorerDep
) -> AutoModerationService:
    return AutoModerationService(
        SqlContentRepository(session),
        SqlAuditRepository(session),
        SqlEventRepository(session),
        policies,
        scorer,
    )


AutoModerationServiceDep = Annotated[AutoModerationService, Depends(get_auto_moderation_service)]


async def get_webhook_service(session: SessionDep) -> WebhookService:
    return WebhookService(
        SqlWebhookEndpointRepository(session), SqlWebhookDeliveryRepository(session)
    )


WebhookServiceDep = Annotated[WebhookService, Depends(get_webhook_service)]


async def get_job_service(session: SessionDep) -> JobService:
    return JobService(SqlJobRepository(session))


JobServiceDep = Annotated[JobService, Depends(get_job_service)]


_auth_cache: dict[str, tuple[Principal, float]] = {}
_policy_cache: dict[UUID, tuple[TenantPolicy, float]] = {}


async def _authenticate(resources: AppResources, token: str) -> Principal:
    cache_key = hashlib.sha256(token.encode()).hexdigest()
    cached = _auth_cache.get(cache_key)
    now = time.monotonic()
    if cached is not None and cached[1] > now:
        return cached[0]
    async with resources.database.sessions() as session:
        service = AuthenticationService(
            SqlApiKeyRepository(session), SqlTenantRepository(session), resources.jwt
        )
        principal = await service.authenticate(token)
    if len(_auth_cache) >= _AUTH_CACHE_LIMIT:
        _auth_cache.clear()
    _auth_cache[cache_key] = (principal, now + AUTH_CACHE_SECONDS)
    return principal


def forget_credentials() -> None:
    """Drop remembered credentials and policies (tests; after revoking a key here)."""
    _auth_cache.clear()
    _policy_cache.clear()


def forget_policy(tenant_id: UUID) -> None:
    """The tenant's policy changed: stop serving the cached version in this process."""
    _policy_cache.pop(tenant_id, None)


_backlog: dict[int, tuple[int, float]] = {}
BACKLOG_CHECK_SECONDS = 1.0


async def check_backlog(resources: ResourcesDep) -> None:
    """503 + Retry-After when the auto-moderation backlog is over its bound (backpressure).

    The count is a query, so each process re-reads it at most once a second."""
    limit = resources.settings.max_pending_items
    if limit <= 0:
        return
    now = time.monotonic()
    cached = _backlog.get(id(resources))
    if cached is None or cached[1] <= now:
        async with resources.database.sessions() as session:
            pending = await SqlContentRepository(session).pending_count()
        resources.metrics.set_queue_depth(pending)
        cached = _backlog[id(resources)] = (pending, now + BACKLOG_CHECK_SECONDS)
    if cached[0] >= limit:
        raise ServiceUnavailableError(
            f"{cached[0]} items are waiting for moderation (limit {limit}); retry later",
            retry_after=30,
        )
