"""SQLAlchemy implementations of the domain's repository Protocols."""

from moderation.infrastructure.repositories.sql_api_key_repository import SqlApiKeyRepository
from moderation.infrastructure.repositories.sql_audit_repository import SqlAuditRepository
from moderation.infrastructure.repositories.sql_content_repository import (
    PENDING_WORK_FLAG,
    SqlContentRepository,
)
from moderation.infrastructure.repositories.sql_event_repository import SqlEventRepository
from moderation.infrastructure.repositories.sql_idempotency_repository import (
    SqlIdempotencyRepository,
)
from moderation.infrastructure.repositories.sql_policy_repository import SqlPolicyRepository
from moderation.infrastructure.repositories.sql_tenant_repository import SqlTenantRepository

__all__ = [
    "PENDING_WORK_FLAG",
    "SqlApiKeyRepository",
    "SqlAuditRepository",
    "SqlContentRepository",
    "SqlEventRepository",
    "SqlIdempotencyRepository",
    "SqlPolicyRepository",
    "SqlTenantRepository",
]
