"""SQLAlchemy tables (importing this package registers all of them on `Base.metadata`)."""

from moderation.infrastructure.database.tables.api_key_row import ApiKeyRow
from moderation.infrastructure.database.tables.audit_row import AuditRow
from moderation.infrastructure.database.tables.author_action_row import AuthorActionRow
from moderation.infrastructure.database.tables.author_strike_row import AuthorStrikeRow
from moderation.infrastructure.database.tables.content_appeal_row import ContentAppealRow
from moderation.infrastructure.database.tables.content_report_row import ContentReportRow
from moderation.infrastructure.database.tables.content_row import ContentRow
from moderation.infrastructure.database.tables.content_tag_row import ContentTagRow
from moderation.infrastructure.database.tables.failed_task_row import FailedTaskRow
from moderation.infrastructure.database.tables.idempotency_row import IdempotencyRow
from moderation.infrastructure.database.tables.job_row import JobRow
from moderation.infrastructure.database.tables.outbox_row import OutboxRow
from moderation.infrastructure.database.tables.policy_row import PolicyRow
from moderation.infrastructure.database.tables.score_suggestion_row import ScoreSuggestionRow
from moderation.infrastructure.database.tables.shadow_config_row import ShadowConfigRow
from moderation.infrastructure.database.tables.shadow_decision_row import ShadowDecisionRow
from moderation.infrastructure.database.tables.tenant_audit_row import TenantAuditRow
from moderation.infrastructure.database.tables.tenant_row import TenantRow
from moderation.infrastructure.database.tables.webhook_delivery_row import WebhookDeliveryRow
from moderation.infrastructure.database.tables.webhook_endpoint_row import WebhookEndpointRow

__all__ = [
    "ApiKeyRow",
    "AuditRow",
    "AuthorActionRow",
    "AuthorStrikeRow",
    "ContentAppealRow",
    "ContentReportRow",
    "ContentRow",
    "ContentTagRow",
    "FailedTaskRow",
    "IdempotencyRow",
    "JobRow",
    "OutboxRow",
    "PolicyRow",
    "ScoreSuggestionRow",
    "ShadowConfigRow",
    "ShadowDecisionRow",
    "TenantAuditRow",
    "TenantRow",
    "WebhookDeliveryRow",
    "WebhookEndpointRow",
]
