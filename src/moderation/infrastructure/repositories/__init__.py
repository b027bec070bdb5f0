"""SQLAlchemy implementations of the domain's repository Protocols."""

from moderation.infrastructure.repositories.sql_api_key_repository import SqlApiKeyRepository
from moderation.infrastructure.repositories.sql_appeal_repository import SqlAppealRepository
from moderation.infrastructure.repositories.sql_audit_repository import SqlAuditRepository
from moderation.infrastructure.repositories.sql_author_repository import SqlAuthorRepository
from moderation.infrastructure.repositories.sql_content_repository import (
    SqlContentRepository,
)
from moderation.infrastructure.repositories.sql_event_repository import (
    SqlEventRepository,
)
from moderation.infrastructure.repositories.sql_failed_task_repository import (
    SqlFailedTaskRepository,
)
from moderation.infrastructure.repositories.sql_idempotency_repository import (
    SqlIdempotencyRepository,
)
from moderation.infrastructure.repositories.sql_job_repository import SqlJobRepository
from moderation.infrastructure.repositories.sql_policy_repository import SqlPolicyRepository
from moderation.infrastructure.repositories.sql_report_repository import SqlReportRepository
from moderation.infrastructure.repositories.sql_repository_set import SqlRepositorySet
from moderation.infrastructure.repositories.sql_restriction_repository import (
    SqlRestrictionRepository,
)
from moderation.infrastructure.repositories.sql_review_repository import SqlReviewRepository
from moderation.infrastructure.repositories.sql_score_suggestion_repository import (
    SqlScoreSuggestionRepository,
)
from moderation.infrastructure.repositories.sql_strike_repository import SqlStrikeRepository
from moderation.infrastructure.repositories.sql_tenant_audit_repository import (
    SqlTenantAuditRepository,
)
from moderation.infrastructure.repositories.sql_tenant_repository import SqlTenantRepository
from moderation.infrastructure.repositories.sql_transactions import SqlTransactions
from moderation.infrastructure.repositories.sql_transparency_repository import (
    SqlTransparencyRepository,
)
from moderation.infrastructure.repositories.sql_webhook_delivery_repository import (
    SqlWebhookDeliveryRepository,
)
from moderation.infrastructure.repositories.sql_webhook_endpoint_repository import (
    SqlWebhookEndpointRepository,
)

__all__ = [
    "SqlApiKeyRepository",
    "SqlAppealRepository",
    "SqlAuditRepository",
    "SqlAuthorRepository",
    "SqlContentRepository",
    "SqlEventRepository",
    "SqlFailedTaskRepository",
    "SqlIdempotencyRepository",
    "SqlJobRepository",
    "SqlPolicyRepository",
    "SqlReportRepository",
    "SqlRepositorySet",
    "SqlRestrictionRepository",
    "SqlReviewRepository",
    "SqlScoreSuggestionRepository",
    "SqlStrikeRepository",
    "SqlTenantAuditRepository",
    "SqlTenantRepository",
    "SqlTransactions",
    "SqlTransparencyRepository",
    "SqlWebhookDeliveryRepository",
    "SqlWebhookEndpointRepository",
]
