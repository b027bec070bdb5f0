"""FastAPI dependencies, declared once as `Annotated` aliases and used by every route. Every
object here comes from the composition root (`app.state.resources`); the services come from
the `ServiceSet` on the request's transaction."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from moderation.api.app_resources import ResourcesDep
from moderation.api.authentication import PrincipalDep, require_scope
from moderation.api.credential_cache import forget_all_credentials
from moderation.api.policy_cache import forget_all_policies
from moderation.core.config import Settings
from moderation.core.exceptions import ServiceUnavailableError
from moderation.domain.policy import TenantPolicy
from moderation.domain.repositories import RepositorySet
from moderation.domain.services import (
    AutoModerationService,
    ContentService,
    JobService,
    PolicyService,
    ScoreSuggestionService,
    ScoringCache,
    ServiceSet,
    TextScorer,
    WebhookService,
)

__all__ = [
    "PrincipalDep",
    "ResourcesDep",
    "check_backlog",
    "forget_credentials",
    "require_scope",
]


async def get_settings(resources: ResourcesDep) -> Settings:
    return resources.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]

# POSTs that only read (scoring); every other non-GET request may write.
_READ_ONLY_POSTS = frozenset({"/api/v1/moderate", "/v1alpha1/comments:analyze"})


async def get_repositories(
    request: Request, resources: ResourcesDep
) -> AsyncIterator[RepositorySet]:
    """The request's unit of work: commits when the route returns, rolls back if it raises.
    Its after-commit effects (caches, the worker, the relay, tasks) run before the response,
    so a client reads its own write, cache included."""
    writes = request.method not in ("GET", "HEAD") and request.url.path not in _READ_ONLY_POSTS
    async with resources.transactions.transaction(write=writes) as repositories:
        yield repositories


RepositoriesDep = Annotated[RepositorySet, Depends(get_repositories, scope="function")]


async def get_services(repos: RepositoriesDep) -> ServiceSet:
    """The use cases on the request's transaction (one set per request)."""
    return ServiceSet(repos)


ServicesDep = Annotated[ServiceSet, Depends(get_services)]


async def get_scorer(resources: ResourcesDep) -> TextScorer:
    if resources.scorer is None:
        raise ServiceUnavailableError("the models are still loading", retry_after=5)
    return resources.scorer


ScorerDep = Annotated[TextScorer, Depends(get_scorer)]


async def get_score_cache(resources: ResourcesDep) -> ScoringCache | None:
    """The process's cache of scoring results; None without Redis or when disabled."""
    return resources.score_cache


ScoreCacheDep = Annotated[ScoringCache | None, Depends(get_score_cache)]


async def get_tenant_policy(principal: PrincipalDep, resources: ResourcesDep) -> TenantPolicy:
    """The tenant's policy in force (cached per process, see `PolicyCache`)."""
    return await resources.policies.current(principal.tenant_id)


TenantPolicyDep = Annotated[TenantPolicy, Depends(get_tenant_policy)]


async def get_policy_service(services: ServicesDep) -> PolicyService:
    return services.policies


PolicyServiceDep = Annotated[PolicyService, Depends(get_policy_service)]


async def get_content_service(services: ServicesDep) -> ContentService:
    return services.content


ContentServiceDep = Annotated[ContentService, Depends(get_content_service)]


async def get_auto_moderation_service(
    services: ServicesDep, scorer: ScorerDep
) -> AutoModerationService:
    return services.auto_moderation(scorer)


AutoModerationServiceDep = Annotated[AutoModerationService, Depends(get_auto_moderation_service)]


async def get_webhook_service(services: ServicesDep, resources: ResourcesDep) -> WebhookService:
    return services.webhooks(resources.egress)


WebhookServiceDep = Annotated[WebhookService, Depends(get_webhook_service)]


async def get_job_service(services: ServicesDep) -> JobService:
    return services.jobs


JobServiceDep = Annotated[JobService, Depends(get_job_service)]


async def get_score_suggestion_service(services: ServicesDep) -> ScoreSuggestionService:
    return services.suggestions


ScoreSuggestionServiceDep = Annotated[ScoreSuggestionService, Depends(get_score_suggestion_service)]


async def check_backlog(resources: ResourcesDep, principal: PrincipalDep) -> None:
    """Backpressure on writes that add pending items (see `BacklogGate`)."""
    await resources.backlog.check(principal.tenant_id)


def forget_credentials() -> None:
    """Drop remembered credentials and policies in every app of this process (tests; after
    revoking a key here)."""
    forget_all_credentials()
    forget_all_policies()
