"""Service configuration: one validated `Settings`, read from `MODERATION_*` variables."""

import os
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "dev-insecure-jwt-secret-change-me"  # noqa: S105 - refused outside env=dev


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

    jwt_secret: SecretStr = SecretStr(DEV_JWT_SECRET)
    jwt_public_key: str | None = Field(
        default=None, description="PEM public key; when set, RS256 tokens are accepted."
    )
    jwt_audience: str | None = None
    jwt_issuer: str | None = None

    metrics_token: SecretStr | None = Field(
        default=None, description="Bearer token for /metrics (else any valid credential)."
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
    # --- end webhook egress ---
    # --- security: tenant quotas and caches ---
    # --- end tenant quotas ---
    # --- security: policy rules and regexes ---
    # --- end policy rules ---
    # --- security: imports ---
    # --- end imports ---
    # --- security: input limits ---
    # --- end input limits ---

    @model_validator(mode="after")
    def _safe_outside_dev(self) -> "Settings":
        secret = self.jwt_secret.get_secret_value()
        if secret and len(secret.encode()) < 32:
            raise ValueError("MODERATION_JWT_SECRET must be at least 32 bytes (RFC 7518)")
        if self.env != "dev":
            if self.jwt_public_key is None and self.jwt_secret.get_secret_value() in {
                DEV_JWT_SECRET,
                "",
            }:
                raise ValueError(
                    "MODERATION_JWT_SECRET must be set to a real secret outside env=dev"
                )
            if len(self.jwt_secret.get_secret_value()) < 32 and self.jwt_public_key is None:
                raise ValueError("MODERATION_JWT_SECRET must be at least 32 characters")
            if "*" in self.cors_origins:
                raise ValueError("MODERATION_CORS_ORIGINS='*' is refused outside env=dev")
        return self

    @property
    def effective_jwt_secret(self) -> str | None:
        """The HS256 secret to accept, if any. The development default is never accepted
        outside env=dev, even when RS256 is configured beside it."""
        secret = self.jwt_secret.get_secret_value()
        if not secret or (secret == DEV_JWT_SECRET and self.env != "dev"):
            return None
        return secret

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'moderation.db'}"
