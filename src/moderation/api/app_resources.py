"""What the API needs of its process: built once by the composition root
(`moderation.bootstrap`), which stores it on `app.state.resources`."""

import asyncio
from typing import TYPE_CHECKING, Annotated, Protocol

from fastapi import Depends, Request

from moderation.core.config import Settings
from moderation.core.jwt_verifier import JwtVerifier
from moderation.domain.services import EgressPolicy, JobQueue, ScoringCache, Transactions

if TYPE_CHECKING:
    # Types only: the API reaches infrastructure through what the composition root hands it.
    from moderation.api.backlog_gate import BacklogGate
    from moderation.api.credential_cache import CredentialCache
    from moderation.api.policy_cache import PolicyCache
    from moderation.infrastructure.cache import ContentReadCache
    from moderation.infrastructure.database import Database
    from moderation.infrastructure.metrics import ServiceMetrics
    from moderation.infrastructure.ml import BatchingScorer
    from moderation.infrastructure.rate_limit import RateLimiter


class AppResources(Protocol):
    """The process's shared resources as routes and dependencies see them: read-only here, as
    only the composition root builds or replaces them."""

    @property
    def settings(self) -> Settings: ...

    @property
    def transactions(self) -> Transactions: ...

    @property
    def database(self) -> "Database": ...

    @property
    def metrics(self) -> "ServiceMetrics": ...

    @property
    def rate_limiter(self) -> "RateLimiter": ...

    @property
    def jwt(self) -> JwtVerifier: ...

    @property
    def egress(self) -> EgressPolicy: ...

    @property
    def credentials(self) -> "CredentialCache": ...

    @property
    def policies(self) -> "PolicyCache": ...

    @property
    def backlog(self) -> "BacklogGate": ...

    @property
    def content_cache(self) -> "ContentReadCache | None": ...

    @property
    def score_cache(self) -> ScoringCache | None: ...

    @property
    def scorer(self) -> "BatchingScorer | None": ...

    @property
    def job_queue(self) -> JobQueue | None: ...

    @property
    def ready(self) -> asyncio.Event: ...

    @property
    def startup_error(self) -> str | None: ...


async def get_resources(request: Request) -> AppResources:
    resources: AppResources = request.app.state.resources
    return resources


ResourcesDep = Annotated[AppResources, Depends(get_resources)]
