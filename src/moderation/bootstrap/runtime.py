import asyncio
from dataclasses import dataclass, field

from redis.asyncio import Redis

from moderation.api.backlog_gate import BacklogGate
from moderation.api.credential_cache import CredentialCache
from moderation.api.policy_cache import PolicyCache
from moderation.core.config import Settings
from moderation.core.jwt_verifier import JwtVerifier
from moderation.domain.services import JobQueue
from moderation.infrastructure.cache import ContentReadCache, ScoreCache
from moderation.infrastructure.database import Database
from moderation.infrastructure.messaging import OutboxRelay
from moderation.infrastructure.metrics import ServiceMetrics
from moderation.infrastructure.ml import BatchingScorer
from moderation.infrastructure.network import EgressGuard
from moderation.infrastructure.rate_limit import RateLimiter
from moderation.infrastructure.repositories import SqlTransactions
from moderation.workers import (
    CoalescingTrigger,
    InProcessWorker,
    PendingSweeper,
    WebhookDeliveryWorker,
)


@dataclass
class Runtime:
    """Everything the API process builds at start-up and shares between requests: what the
    routes see of it (`moderation.api.app_resources.AppResources`), and the background loops
    and connections only the composition root starts and stops."""

    settings: Settings
    database: Database
    transactions: SqlTransactions
    metrics: ServiceMetrics
    rate_limiter: RateLimiter
    jwt: JwtVerifier
    egress: EgressGuard
    credentials: CredentialCache
    policies: PolicyCache
    backlog: BacklogGate
    redis: Redis | None = None
    content_cache: ContentReadCache | None = None
    score_cache: ScoreCache | None = None
    scorer: BatchingScorer | None = None
    worker: InProcessWorker | None = None
    webhook_worker: WebhookDeliveryWorker | None = None
    relay: OutboxRelay | None = None
    delivery_trigger: CoalescingTrigger | None = None
    # Background tasks: Celery when MODERATION_BROKER_URL is set, in-process otherwise.
    job_queue: JobQueue | None = None
    sweeper: PendingSweeper | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    startup_error: str | None = None
