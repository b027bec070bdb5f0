"""Domain entities and value objects."""

from moderation.core.scope import Scope
from moderation.domain.models.api_key import ApiKey
from moderation.domain.models.appeal_status import AppealStatus
from moderation.domain.models.audit_entry import AuditEntry, DecisionSource
from moderation.domain.models.author_action import AuthorAction
from moderation.domain.models.author_history import AuthorHistory
from moderation.domain.models.backlog_limits import BacklogLimits
from moderation.domain.models.content_appeal import ContentAppeal
from moderation.domain.models.content_claim import ContentClaim
from moderation.domain.models.content_item import ENGINE_ACTOR, ContentItem
from moderation.domain.models.content_report import ContentReport
from moderation.domain.models.content_stats import ContentStats
from moderation.domain.models.content_type import ContentType
from moderation.domain.models.domain_event import DomainEvent
from moderation.domain.models.failed_task import FailedTask
from moderation.domain.models.human_decision import HumanDecision
from moderation.domain.models.idempotency_record import IdempotencyRecord
from moderation.domain.models.job import Job
from moderation.domain.models.job_kind import JobKind
from moderation.domain.models.job_status import JobStatus
from moderation.domain.models.moderation_status import STATUS_FOR_DECISION, ModerationStatus
from moderation.domain.models.new_content import NewContent, content_created
from moderation.domain.models.page import Page
from moderation.domain.models.principal import Principal
from moderation.domain.models.queue_assignment import QueueAssignment
from moderation.domain.models.queue_kind import QueueKind
from moderation.domain.models.report_reason import ReportReason
from moderation.domain.models.report_status import ReportStatus
from moderation.domain.models.restriction_record import RestrictionRecord
from moderation.domain.models.score_suggestion import ScoreSuggestion
from moderation.domain.models.statement_of_reasons import AutomatedDecision, StatementOfReasons
from moderation.domain.models.task_name import TaskName
from moderation.domain.models.tenant import Tenant
from moderation.domain.models.tenant_audit_entry import TenantAuditEntry
from moderation.domain.models.transparency_report import TransparencyReport
from moderation.domain.models.webhook_attempt import WebhookAttempt
from moderation.domain.models.webhook_delivery import WebhookDelivery
from moderation.domain.models.webhook_delivery_status import WebhookDeliveryStatus
from moderation.domain.models.webhook_endpoint import WebhookEndpoint
from moderation.domain.models.webhook_event_type import WebhookEventType
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.decision import Decision
from moderation.ml.vocabulary.moderation_reason import ModerationReason
from moderation.ml.vocabulary.moderation_result import ModerationResult
from moderation.ml.vocabulary.span import Span
from moderation.ml.vocabulary.term_rule import TermRule

__all__ = [
    "ENGINE_ACTOR",
    "STATUS_FOR_DECISION",
    "ApiKey",
    "AppealStatus",
    "AuditEntry",
    "AuthorAction",
    "AuthorHistory",
    "AutomatedDecision",
    "BacklogLimits",
    "Category",
    "ContentAppeal",
    "ContentClaim",
    "ContentItem",
    "ContentReport",
    "ContentStats",
    "ContentType",
    "Decision",
    "DecisionSource",
    "DomainEvent",
    "FailedTask",
    "HumanDecision",
    "IdempotencyRecord",
    "Job",
    "JobKind",
    "JobStatus",
    "ModerationReason",
    "ModerationResult",
    "ModerationStatus",
    "NewContent",
    "Page",
    "Principal",
    "QueueAssignment",
    "QueueKind",
    "ReportReason",
    "ReportStatus",
    "RestrictionRecord",
    "Scope",
    "ScoreSuggestion",
    "Span",
    "StatementOfReasons",
    "TaskName",
    "Tenant",
    "TenantAuditEntry",
    "TermRule",
    "TransparencyReport",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEventType",
    "content_created",
]
