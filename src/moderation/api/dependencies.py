"""FastAPI dependencies, declared once as `Annotated` aliases and used by every route."""

import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.api.app_resources import AppResources
from moderation.api.failed_auth_throttle import FailedAuthThrottle
from moderation.core.config import Settings
from moderation.core.exceptions import (
    ForbiddenError,
    RateLimitedError,
    ServiceUnavailableError,
    UnauthorizedError,
)
from moderation.domain.models import BacklogLimits, Principal, Scope
from moderation.domain.policy import ModerationPolicy, TenantPolicy
from moderation.domain.services import (
    AuthenticationService,
    AutoModerationService,
    ContentService,
    JobService,
    PolicyService,
    ScoreSuggestionService,
    TextScorer,
    WebhookService,
)
from moderation.infrastructure.cache import ScoreCache
from moderation.infrastructure.network import EgressGuard
from moderation.infrastructure.repositories import (
    SqlApiKeyRepository,
    SqlAuditRepository,
    SqlContentRepository,
    SqlEventRepository,
    SqlIdempotencyRepository,
    SqlJobRepository,
    SqlPolicyRepository,
    SqlScoreSuggestionRepository,
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
    """The request's unit of work: commits when the route returns, rolls back if it raises.
    Its after-commit effects (caches, the worker, the relay, tasks) run before the response,
    so a client reads its own write, cache included."""
    writes = request.method not in ("GET", "HEAD") and request.url.path not in _READ_ONLY_POSTS
    async with resources.database.unit_of_work(write=writes) as unit:
        yield unit.session


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_principal(
    request: Request,
    resources: ResourcesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The authenticated caller; also enforces the per-credential and per-tenant rate limits.

    Needs no request session: verified credentials are cached, and a miss opens its own short
    read session, so the hot scoring path touches no database at all. A credential that must be
    verified first passes the caller's failed-authentication budget (`FailedAuthThrottle`)."""
    token = credentials.credentials if credentials is not None else None
    if token is None:
        token = _vendor_key(request)
    if not token:
        raise UnauthorizedError("missing bearer credential")
    principal = _cached_principal(token)
    if principal is None:
        throttle = failed_auth_throttle(resources)
        await throttle.check(request)
        try:
            principal = await _authenticate(resources, token)
        except UnauthorizedError:
            await throttle.record_failure(request)
            raise
    request.state.tenant_id = str(principal.tenant_id)
    structlog.contextvars.bind_contextvars(tenant_id=str(principal.tenant_id))
    await _enforce_rate_limits(resources, principal)
    return principal


def _vendor_key(request: Request) -> str | None:
    # Each drop-in API's clients send the key where that vendor reads it, accepted on that
    # API only: Perspective's ?key=… (a query string lands in access logs, so nowhere else),
    # Azure's Ocp-Apim-Subscription-Key header.
    path = request.url.path
    if path.startswith("/v1alpha1/"):
        return request.query_params.get("key")
    if path.startswith("/contentsafety/"):
        return request.headers.get("Ocp-Apim-Subscription-Key")
    return None


def failed_auth_throttle(resources: AppResources) -> FailedAuthThrottle:
    """The failed-authentication budget per client address (shared through Redis if set)."""
    return FailedAuthThrottle(
        resources.rate_limiter,
        resources.settings.auth_failures_per_minute,
        on_refused=resources.metrics.count_rate_limited,
    )


async def _enforce_rate_limits(resources: AppResources, principal: Principal) -> None:
    # The credential's own limit first: a request it refuses is not counted against the tenant,
    # so one runaway key does not also spend its tenant's share. The credential is keyed with its
    # tenant, since two tenants' identity providers may well use the same `sub`.
    settings = resources.settings
    limits = (
        ("credential", f"{principal.tenant_id}:{principal.actor}", settings.rate_limit_per_minute),
        ("tenant", f"tenant:{principal.tenant_id}", settings.effective_tenant_rate_limit),
    )
    for name, key, limit in limits:
        decision = await resources.rate_limiter.hit(key, limit)
        if not decision.allowed:
            resources.metrics.count_rate_limited()
            raise RateLimitedError(
                f"{name} rate limit of {limit} requests per minute exceeded",
                retry_after=decision.retry_after,
                extra={"limit": name, "limit_per_minute": limit},
            )


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


async def get_score_cache(resources: ResourcesDep) -> ScoreCache | None:
    """The process's cache of scoring results (built in lifespan); None without Redis or when
    disabled. One per process: its circuit-breaker state must outlive the request."""
    return resources.score_cache


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


async def get_webhook_service(session: SessionDep, settings: SettingsDep) -> WebhookService:
    return WebhookService(
        SqlWebhookEndpointRepository(session),
        SqlWebhookDeliveryRepository(session),
        EgressGuard.from_settings(settings),
    )


WebhookServiceDep = Annotated[WebhookService, Depends(get_webhook_service)]


async def get_job_service(session: SessionDep) -> JobService:
    return JobService(SqlJobRepository(session))


JobServiceDep = Annotated[JobService, Depends(get_job_service)]


async def get_score_suggestion_service(session: SessionDep) -> ScoreSuggestionService:
    return ScoreSuggestionService(SqlScoreSuggestionRepository(session))


ScoreSuggestionServiceDep = Annotated[ScoreSuggestionService, Depends(get_score_suggestion_service)]


_auth_cache: dict[str, tuple[Principal, float]] = {}
_policy_cache: dict[UUID, tuple[TenantPolicy, float]] = {}


def _auth_cache_key(token: str) -> str:
    # surrogatepass: a ?key= query value may hold lone surrogates; any token has one digest.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _cached_principal(token: str) -> Principal | None:
    cached = _auth_cache.get(_auth_cache_key(token))
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    return None


async def _authenticate(resources: AppResources, token: str) -> Principal:
    async with resources.database.sessions() as session:
        service = AuthenticationService(
            SqlApiKeyRepository(session), SqlTenantRepository(session), resources.jwt
        )
        principal = await service.authenticate(token)
    if len(_auth_cache) >= _AUTH_CACHE_LIMIT:
        _auth_cache.clear()
    _auth_cache[_auth_cache_key(token)] = (principal, time.monotonic() + AUTH_CACHE_SECONDS)
    return principal


def forget_credentials() -> None:
    """Drop remembered credentials and policies (tests; after revoking a key here)."""
    _auth_cache.clear()
    _policy_cache.clear()


def forget_policy(tenant_id: UUID) -> None:
    """The tenant's policy changed: stop serving the cached version in this process."""
    _policy_cache.pop(tenant_id, None)


@dataclass
class _PendingCount:
    count: int
    expires: float


# Keyed by (process resources, tenant or None for all tenants).
_backlog: dict[tuple[int, UUID | None], _PendingCount] = {}
BACKLOG_CHECK_SECONDS = 1.0


async def check_backlog(resources: ResourcesDep, principal: PrincipalDep) -> None:
    """503 + Retry-After when the auto-moderation backlog is over its bound; 429 + Retry-After
    when the caller's tenant holds its whole share of it (`tenant_backlog_share`), so that one
    tenant's flood does not turn every other tenant away (backpressure).

    The counts are queries, so each process re-reads each at most once a second; in between it
    adds the items it admitted itself, so a burst inside that second cannot overshoot."""
    settings = resources.settings
    limits = BacklogLimits.of(settings.max_pending_items, settings.tenant_backlog_share)
    if limits.total <= 0:
        return
    counts = await _pending_counts(resources, principal.tenant_id)
    limits.check(counts[0].count, counts[1].count)
    for admitted in counts:
        admitted.count += 1


async def _pending_counts(
    resources: AppResources, tenant_id: UUID
) -> tuple[_PendingCount, _PendingCount]:
    """(all tenants', this tenant's) pending items, each re-read when over a second old."""
    now = time.monotonic()
    if len(_backlog) >= _AUTH_CACHE_LIMIT:
        _backlog.clear()
    total_key, tenant_key = (id(resources), None), (id(resources), tenant_id)
    total, tenant = _backlog.get(total_key), _backlog.get(tenant_key)
    # A session takes a connection only at its first query: none while both counts are fresh.
    async with resources.database.sessions() as session:
        content = SqlContentRepository(session)
        if total is None or total.expires <= now:
            total = _PendingCount(await content.pending_count(), now + BACKLOG_CHECK_SECONDS)
            _backlog[total_key] = total
            resources.metrics.set_queue_depth(total.count)
        if tenant is None or tenant.expires <= now:
            count = await content.pending_count(tenant_id)
            tenant = _backlog[tenant_key] = _PendingCount(count, now + BACKLOG_CHECK_SECONDS)
    return total, tenant
