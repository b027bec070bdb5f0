"""Service configuration: one validated `Settings`, read from `MODERATION_*` variables."""

import hashlib
import ipaddress
import os
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# SHA-256 of HS256 secrets that were printed in this project's docs, examples or source: anyone
# can sign tokens with them, so they are refused in every env. Digests, so that the refusal does
# not republish them.
_PUBLISHED_JWT_SECRET_DIGESTS = frozenset(
    {
        "e1e9e78a9a198cdbf9663fe4627952dd8f4c6b4bd5b67aa2b39bc321a111915e",
        "02ee387ebbddcbea64bd6280710db10e5e0f68b9ea97e5e567bd047c337442da",
    }
)
# RFC 7518 §3.2: an HS256 key must be at least as long as the hash output.
_MIN_JWT_SECRET_BYTES = 32
# Without MODERATION_TENANT_RATE_LIMIT_PER_MINUTE a tenant may use this many keys' worth.
_TENANT_LIMIT_FACTOR = 5


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("monocto-moderation", appauthor=False))


class Settings(BaseSettings):
    """Everything the service reads from its environment, validated at boot."""

    model_config = SettingsConfigDict(env_prefix="MODERATION_", extra="ignore")

    env: Literal["dev", "test", "prod"] = "dev"
    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL; default a SQLite file in data_dir.",
    )
    redis_url: str | None = Field(
        default=None, description="redis://… for shared rate limits; in-process when unset."
    )
    score_cache_seconds: int = Field(
        default=3600,
        ge=0,
        description="How long Redis keeps a /moderate result for an identical text; 0 disables.",
    )
    content_cache_seconds: int = Field(
        default=300,
        ge=0,
        description=(
            "How long Redis may keep a GET /content/{id} response (invalidated on every "
            "write anyway); 0 disables."
        ),
    )
    auto_migrate: bool = True
    model: str | None = Field(
        default=None, description="Model bundle: a directory, a registered name, or the default."
    )
    semantic: Literal["auto", "always", "never"] = "auto"
    engine_processes: int = Field(
        default_factory=lambda: max(1, min(4, os.cpu_count() or 1)),
        ge=1,
        le=64,
        description="Engine child processes (with engine_process): each holds a copy of the "
        "model (~450 MB) and scores batches on its own core.",
    )
    max_pending_items: int = Field(
        default=200_000,
        ge=0,
        description="Backpressure: above this many items waiting for the engine, POST /content "
        "answers 503 with Retry-After instead of growing the backlog (0 = no limit).",
    )
    engine_process: bool = Field(
        default=True,
        description="Score in a separate process, so the engine and the event loop use two "
        "cores instead of sharing one through the GIL.",
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"
    log_json: bool = True

    jwt_secret: SecretStr | None = Field(
        default=None,
        description="HS256 secret, 32+ random bytes. Unset (and no public key): env=dev "
        "generates one in data_dir/jwt-secret on first start. '' turns HS256 off.",
    )
    jwt_public_key: str | None = Field(
        default=None, description="PEM public key; when set, RS256 tokens are accepted."
    )
    jwt_audience: str | None = Field(
        default=None,
        min_length=1,
        description="Tokens must carry this `aud`. Required outside env=dev; with the generated "
        "secret, `monocto-moderation-api` unless set.",
    )
    jwt_issuer: str | None = Field(
        default=None,
        min_length=1,
        description="Tokens must carry this `iss`. Required outside env=dev; with the generated "
        "secret, `monocto-moderation` unless set.",
    )
    jwt_max_lifetime_seconds: int = Field(
        default=86_400,
        ge=60,
        le=30 * 86_400,
        description="Tokens must carry `iat`, and `exp - iat` may not exceed this.",
    )
    auth_failures_per_minute: int = Field(
        default=20,
        ge=1,
        le=100_000,
        description="Failed authentications a client address may make per minute; beyond, "
        "its unverified credentials get 429 before any lookup.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        max_length=64,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For names the "
        "client (for auth throttling and the /metrics loopback rule).",
    )
    otlp_endpoint: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s]+$",
        max_length=2000,
        description="OTLP/HTTP traces endpoint (http://collector:4318/v1/traces): trace every "
        "request, statement, webhook delivery and Celery task there; unset: tracing is off.",
    )
    public_base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$",
        max_length=2000,
        description="The service's external base URL (https://moderation.example.com) where a "
        "document names it, such as the Perspective discovery document's rootUrl; unset: "
        "taken from each request (its Host and, behind trusted_proxies, X-Forwarded-Proto).",
    )
    tenant_rate_limit_per_minute: int | None = Field(
        default=None,
        ge=1,
        description="Requests per tenant per minute, all its credentials together; "
        f"default {_TENANT_LIMIT_FACTOR} × rate_limit_per_minute.",
    )

    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token for /metrics; unset: served to loopback clients only.",
    )
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    rate_limit_per_minute: int = Field(default=1200, ge=1)

    batch_max_size: int = Field(default=32, ge=1, le=256)
    batch_max_wait_ms: float = Field(default=0.0, ge=0.0, le=1000.0)
    scoring_queue_limit: int = Field(default=2048, ge=1)

    worker_enabled: bool = True
    worker_batch_size: int = Field(default=32, ge=1)
    worker_poll_seconds: float = Field(default=1.0, gt=0.0)
    worker_lease_seconds: float = Field(default=60.0, gt=0.0)
    worker_base_backoff_seconds: float = Field(
        default=1.0, gt=0.0, description="Retry delay base: this * 2**attempts s, at most 300."
    )

    webhooks_enabled: bool = Field(
        default=True, description="Deliver webhooks from this process (a background loop)."
    )
    webhook_batch_size: int = Field(
        default=100, ge=1, description="Deliveries claimed per webhook delivery cycle."
    )
    webhook_poll_seconds: float = Field(
        default=1.0, gt=0.0, description="How often the webhook loop looks for due deliveries."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0.0, le=60.0, description="Time limit of one webhook request."
    )
    webhook_retry_base_seconds: float = Field(
        default=30.0, gt=0.0, description="First webhook retry delay; doubles per failure."
    )
    webhook_retry_max_seconds: float = Field(
        default=3600.0, gt=0.0, description="Longest delay between two webhook attempts."
    )
    webhook_retry_window_seconds: float = Field(
        default=86_400.0,
        gt=0.0,
        description="A delivery still failing this long after it was created is dead.",
    )

    # Events: the outbox relay and the broker it publishes to.
    events_url: str | None = Field(
        default=None,
        description="nats://host:4222 to publish events to NATS JetStream; no broker when unset.",
    )
    events_stream: str = Field(
        default="MODERATION_EVENTS",
        pattern=r"^[A-Za-z0-9_-]+$",
        description="JetStream stream the events are stored in (created or updated on connect).",
    )
    events_subject_prefix: str = Field(
        default="moderation.events",
        pattern=r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$",
        description="Subjects are <prefix>.<tenant_id>.<EventType>.",
    )
    events_publish_timeout_seconds: float = Field(
        default=2.0, gt=0.0, description="How long to wait for the broker's ack of one event."
    )
    events_duplicate_window_seconds: float = Field(
        default=120.0,
        ge=120.0,
        description="JetStream drops a re-published event id seen within this window.",
    )
    relay_enabled: bool = Field(
        default=True, description="Relay outbox events to the sinks (when there is at least one)."
    )
    relay_batch_size: int = Field(default=100, ge=1, le=10_000)
    relay_poll_seconds: float = Field(
        default=1.0, gt=0.0, description="How often the relay looks when nobody wakes it."
    )
    relay_max_backoff_seconds: float = Field(
        default=30.0, gt=0.0, description="Longest pause between retries while a sink fails."
    )

    # Workers and jobs: Celery when a broker is configured, asyncio tasks in the API otherwise.
    broker_url: str | None = Field(
        default=None,
        description=(
            "redis://… or amqp://…: auto-moderation and jobs run on Celery workers "
            "(`moderation worker`); in the API process when unset."
        ),
    )
    broker_visibility_timeout_seconds: int = Field(
        default=3600,
        ge=10,
        description="Redis broker: an unacknowledged task is redelivered after this long.",
    )
    task_max_retries: int = Field(
        default=5, ge=0, le=50, description="Retries of a failing task before it is dead-lettered."
    )
    task_retry_backoff_seconds: int = Field(
        default=2, ge=1, description="Retry delay: up to this * 2**retry s (full jitter)."
    )
    task_retry_backoff_max_seconds: int = Field(
        default=300, ge=1, description="Longest delay between two retries of a task."
    )
    sweep_seconds: float = Field(
        default=10.0, gt=0.0, description="How often lost tasks (pending items, jobs) are re-sent."
    )
    sweep_grace_seconds: float = Field(
        default=30.0,
        gt=0.0,
        description="An item or job still waiting this long after its task was sent is re-sent.",
    )
    job_batch_size: int = Field(
        default=500, ge=1, le=10_000, description="Records a job handles per transaction."
    )
    job_lease_seconds: float = Field(
        default=120.0, gt=0.0, description="A job's runner must report progress this often."
    )
    job_concurrency: int = Field(
        default=2, ge=1, le=64, description="Tasks run at once by the in-process job queue."
    )
    import_max_bytes: int = Field(
        default=256 * 1024 * 1024, ge=1024, description="Largest CSV/JSONL import upload."
    )

    # Security settings, one block per concern (each block is edited on its own).
    # --- security: webhook egress and delivery fairness ---
    webhook_allow_private_networks: bool = Field(
        default=False,
        description="Let webhooks target loopback, private (RFC 1918, fc00::/7) and CGNAT "
        "addresses: for local testing only. Link-local (cloud metadata), multicast and "
        "unspecified addresses stay refused.",
    )
    webhook_max_concurrency: int = Field(
        default=64, ge=1, le=1024, description="Webhook requests in flight at once, per process."
    )
    webhook_max_concurrency_per_tenant: int = Field(
        default=4,
        ge=1,
        le=256,
        description="Webhook requests in flight at once for one tenant, per process.",
    )
    webhook_max_concurrency_per_endpoint: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Webhook requests in flight at once to one endpoint, per process.",
    )
    # --- end webhook egress ---
    appeal_window_days: int = Field(
        default=180,
        ge=1,
        le=3650,
        description="How long after a rejection its author may appeal it (the DSA asks for "
        "at least six months).",
    )
    # --- security: tenant quotas and caches ---
    tenant_backlog_share: float = Field(
        default=0.25,
        gt=0.0,
        le=1.0,
        description="Fraction of max_pending_items one tenant's waiting items may fill; above "
        "it that tenant's POST /content answers 429 with Retry-After while others go on "
        "(1.0 = only the global bound).",
    )
    score_cache_redis_db: int | None = Field(
        default=None,
        ge=0,
        le=255,
        description="Redis database index of the /moderate score cache (on redis_url's "
        "server). Unset: redis_url's own database, or the next index when that is also "
        "the broker's database.",
    )
    score_cache_max_entries: int = Field(
        default=100_000,
        ge=1,
        le=100_000_000,
        description="Most results the score cache holds at once (all replicas together).",
    )
    score_cache_max_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024,
        le=64 * 1024 * 1024 * 1024,
        description="Most bytes of keys and values the score cache holds at once (all "
        "replicas together); new results are not cached while it is full.",
    )
    score_cache_max_entry_bytes: int = Field(
        default=32 * 1024,
        ge=256,
        le=16 * 1024 * 1024,
        description="A result larger than this is returned but not cached.",
    )
    # --- end tenant quotas ---
    # --- security: policy rules and regexes ---
    rule_deadline_ms: float = Field(
        default=100.0,
        gt=0.0,
        le=60_000.0,
        description=(
            "Time a tenant policy's own term rules may take on one text. Past it the remaining "
            "rules are skipped and the result is flagged for review with reason "
            "rules_incomplete, so one tenant's rules cannot stall scoring for the others."
        ),
    )
    # --- end policy rules ---
    # --- security: imports ---
    import_max_record_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        le=64 * 1024 * 1024,
        description="Largest JSONL line or CSV record of an import (a quote left open counts "
        "to the end of its record); a larger one is a row error and the import goes on.",
    )
    import_orphan_grace_seconds: float = Field(
        default=3600.0,
        ge=60.0,
        le=7 * 86_400.0,
        description="At start, an upload this old that no queued or running job will read is "
        "deleted (an interrupted upload, a crash between storing and submitting).",
    )
    import_failed_retention_seconds: float = Field(
        default=7 * 86_400.0,
        ge=0.0,
        le=90 * 86_400.0,
        description="A failed import keeps its upload this long, for a dead-letter replay to "
        "resume from; the start-up sweep deletes it afterwards.",
    )
    # --- end imports ---
    # --- security: input limits ---
    # --- end input limits ---

    @field_validator("jwt_public_key")
    @classmethod
    def _blank_key_is_none(cls, value: str | None) -> str | None:
        # An empty MODERATION_JWT_PUBLIC_KEY= in a compose file means "not configured".
        return value if value and value.strip() else None

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: list[str]) -> list[str]:
        # "*" would make the client address whatever the client writes in X-Forwarded-For.
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"MODERATION_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
                ) from None
        return value

    @model_validator(mode="after")
    def _safe_outside_dev(self) -> "Settings":
        secret = self.jwt_secret.get_secret_value() if self.jwt_secret is not None else None
        if secret:
            if len(secret.encode()) < _MIN_JWT_SECRET_BYTES:
                raise ValueError("MODERATION_JWT_SECRET must be at least 32 bytes (RFC 7518)")
            if hashlib.sha256(secret.encode()).hexdigest() in _PUBLISHED_JWT_SECRET_DIGESTS:
                raise ValueError(
                    "MODERATION_JWT_SECRET is an example secret published with this project; "
                    "generate one (openssl rand -base64 48)"
                )
        elif secret == "" and self.jwt_public_key is None:
            raise ValueError(
                "MODERATION_JWT_SECRET='' turns HS256 off but MODERATION_JWT_PUBLIC_KEY is not "
                "set; unset MODERATION_JWT_SECRET for the generated local secret"
            )
        if self.env != "dev":
            if self.uses_generated_jwt_secret:
                raise ValueError(
                    "outside env=dev set MODERATION_JWT_SECRET (32+ random bytes) or "
                    "MODERATION_JWT_PUBLIC_KEY; the generated local secret is for env=dev"
                )
            if self.jwt_audience is None or self.jwt_issuer is None:
                raise ValueError(
                    "outside env=dev a JWT key needs MODERATION_JWT_AUDIENCE and "
                    "MODERATION_JWT_ISSUER: a token must name this service and who issued it"
                )
            if "*" in self.cors_origins:
                raise ValueError("MODERATION_CORS_ORIGINS='*' is refused outside env=dev")
        return self

    @property
    def effective_jwt_secret(self) -> str | None:
        """The configured HS256 secret, if any (None when unset or turned off with '')."""
        if self.jwt_secret is None:
            return None
        return self.jwt_secret.get_secret_value() or None

    @property
    def uses_generated_jwt_secret(self) -> bool:
        """No JWT key is configured: HS256 with the secret generated in data_dir."""
        return self.jwt_secret is None and self.jwt_public_key is None

    @property
    def effective_tenant_rate_limit(self) -> int:
        """Requests per minute one tenant may make with all its credentials together."""
        if self.tenant_rate_limit_per_minute is not None:
            return self.tenant_rate_limit_per_minute
        return _TENANT_LIMIT_FACTOR * self.rate_limit_per_minute

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'moderation.db'}"
