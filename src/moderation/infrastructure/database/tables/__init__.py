"""SQLAlchemy tables (importing this package registers all of them on `Base.metadata`)."""

from moderation.infrastructure.database.tables.api_key_row import ApiKeyRow
from moderation.infrastructure.database.tables.audit_row import AuditRow
from moderation.infrastructure.database.tables.content_row import ContentRow
from moderation.infrastructure.database.tables.content_tag_row import ContentTagRow
from moderation.infrastructure.database.tables.idempotency_row import IdempotencyRow
from moderation.infrastructure.database.tables.outbox_row import OutboxRow
from moderation.infrastructure.database.tables.policy_row import PolicyRow
from moderation.infrastructure.database.tables.tenant_row import TenantRow

__all__ = [
    "ApiKeyRow",
    "AuditRow",
    "ContentRow",
    "ContentTagRow",
    "IdempotencyRow",
    "OutboxRow",
    "PolicyRow",
    "TenantRow",
]
