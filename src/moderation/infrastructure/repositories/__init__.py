"""SQLAlchemy implementations of the domain's repository Protocols."""

from moderation.infrastructure.repositories.sql_api_key_repository import SqlApiKeyRepository
from moderation.infrastructure.repositories.sql_audit_repository import SqlAuditRepository
from moderation.infrastructure.repositories.sql_content_repository import (
    CHANGED_CONTENT,
    PENDING_CONTENT_IDS,
    PENDING_WORK_FLAG,
    SqlContentRepository,
)
from moderation.infrastructure.repositories.sql_event_repository import (
    OUTBOX_EVENTS_FLAG,
    SqlEventRepository,
)
from moderation.infrastructure.repositories.sql_failed_task_repository import (
    SqlFailedTaskRepository,
)
from moderation.infrastructure.repositories.sql_idempotency_repository import (
    SqlIdempotencyRepository,
)
from moderation.infrastructure.repositories.sql_job_repository import (
    QUEUED_JOB_IDS,
    SqlJobRepository,
)
from moderation.infrastructure.repositories.sql_policy_repository import SqlPolicyRepository
from moderation.infrastructure.repositories.sql_score_suggestion_repository import (
    SqlScoreSuggestionRepository,
)
from moderation.infrastructure.repositories.sql_tenant_repository import SqlTenantRepository
from moderation.infrastructure.repositories.sql_webhook_delivery_repository import (
    SqlWebhookDeliveryRepository,
)
from moderation.infrastructure.repositories.sql_webhook_endpoint_repository import (
    SqlWebhookEndpointRepository,
)

__all__ = [
    "CHANGED_CONTENT",
    "OUTBOX_EVENTS_FLAG",
    "PENDING_CONTENT_IDS",
    "PENDING_WORK_FLAG",
    "QUEUED_JOB_IDS",
    "SqlApiKeyRepository",
    "SqlAuditRepository",
    "SqlContentRepository",
    "SqlEventRepository",
    "SqlFailedTaskRepository",
    "SqlIdempotencyRepository",
    "SqlJobRepository",
    "SqlPolicyRepository",
    "SqlScoreSuggestionRepository",
    "SqlTenantRepository",
    "SqlWebhookDeliveryRepository",
    "SqlWebhookEndpointRepository",
]
