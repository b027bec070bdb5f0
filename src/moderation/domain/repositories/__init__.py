"""What the services need from storage, as Protocols (implemented in infrastructure)."""

from moderation.domain.repositories.api_key_repository import ApiKeyRepository
from moderation.domain.repositories.appeal_repository import AppealRepository
from moderation.domain.repositories.audit_repository import AuditRepository
from moderation.domain.repositories.author_repository import AuthorRepository
from moderation.domain.repositories.content_repository import ContentRepository
from moderation.domain.repositories.event_repository import EventRepository
from moderation.domain.repositories.failed_task_repository import FailedTaskRepository
from moderation.domain.repositories.idempotency_repository import IdempotencyRepository
from moderation.domain.repositories.job_repository import JobRepository
from moderation.domain.repositories.policy_repository import PolicyRepository
from moderation.domain.repositories.report_repository import ReportRepository
from moderation.domain.repositories.repository_set import RepositorySet
from moderation.domain.repositories.restriction_repository import RestrictionRepository
from moderation.domain.repositories.review_repository import ReviewRepository
from moderation.domain.repositories.score_suggestion_repository import ScoreSuggestionRepository
from moderation.domain.repositories.strike_repository import StrikeRepository
from moderation.domain.repositories.tenant_audit_repository import TenantAuditRepository
from moderation.domain.repositories.tenant_repository import TenantRepository
from moderation.domain.repositories.transparency_repository import TransparencyRepository
from moderation.domain.repositories.webhook_delivery_repository import WebhookDeliveryRepository
from moderation.domain.repositories.webhook_endpoint_repository import WebhookEndpointRepository

__all__ = [
    "ApiKeyRepository",
    "AppealRepository",
    "AuditRepository",
    "AuthorRepository",
    "ContentRepository",
    "EventRepository",
    "FailedTaskRepository",
    "IdempotencyRepository",
    "JobRepository",
    "PolicyRepository",
    "ReportRepository",
    "RepositorySet",
    "RestrictionRepository",
    "ReviewRepository",
    "ScoreSuggestionRepository",
    "StrikeRepository",
    "TenantAuditRepository",
    "TenantRepository",
    "TransparencyRepository",
    "WebhookDeliveryRepository",
    "WebhookEndpointRepository",
]
