"""Who is calling: the bearer credential (or a drop-in API's own key field) verified, and the
per-credential and per-tenant rate limits applied."""

from collections.abc import Awaitable, Callable
from typing import Annotated

import structlog
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from moderation.api.app_resources import AppResources, ResourcesDep
from moderation.api.failed_auth_throttle import FailedAuthThrottle
from moderation.core.exceptions import ForbiddenError, RateLimitedError, UnauthorizedError
from moderation.domain.models import Principal, Scope

bearer = HTTPBearer(
    auto_error=False,
    description="An API key (`mod_…`) from `moderation keys create`, or a JWT for reviewer tools.",
)


async def get_principal(
    request: Request,
    resources: ResourcesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The authenticated caller; also enforces the per-credential and per-tenant rate limits.

    Needs no request transaction: verified credentials are cached, and a miss opens its own
    short read transaction. A credential that must be verified first passes the caller's
    failed-authentication budget (`FailedAuthThrottle`)."""
    token = credentials.credentials if credentials is not None else None
    if token is None:
        token = _vendor_key(request)
    if not token:
        raise UnauthorizedError("missing bearer credential")
    principal = resources.credentials.cached(token)
    if principal is None:
        throttle = failed_auth_throttle(resources)
        await throttle.check(request)
        try:
            principal = await resources.credentials.authenticate(token)
        except UnauthorizedError:
            await throttle.record_failure(request)
            raise
    request.state.tenant_id = str(principal.tenant_id)
    structlog.contextvars.bind_contextvars(tenant_id=str(principal.tenant_id))
    await _enforce_rate_limits(resources, principal)
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
