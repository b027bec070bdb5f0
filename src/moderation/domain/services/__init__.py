"""Use cases: what the API, the CLI and the workers ask the domain to do."""

from moderation.domain.models import ENGINE_ACTOR, STATUS_FOR_DECISION
from moderation.domain.services.appeal_service import AppealService
from moderation.domain.services.authentication_service import AuthenticationService
from moderation.domain.services.auto_moderation_service import AutoModerationService
from moderation.domain.services.commit_effects import CommitEffects
from moderation.domain.services.content_import_service import ContentImportService
from moderation.domain.services.content_service import ContentService
from moderation.domain.services.dead_letter_service import DeadLetterService
from moderation.domain.services.egress_policy import EgressPolicy
from moderation.domain.services.job_queue import JobQueue
from moderation.domain.services.job_service import JobService
from moderation.domain.services.moderation_metrics import ModerationMetrics
from moderation.domain.services.moderation_units import ModerationUnits
from moderation.domain.services.pending_moderation import PendingModeration
from moderation.domain.services.policy_service import DEFAULT_POLICY, PolicyService
from moderation.domain.services.review_service import ReviewService
from moderation.domain.services.score_suggestion_service import ScoreSuggestionService
from moderation.domain.services.scoring_cache import ScoringCache
from moderation.domain.services.service_set import ServiceSet
from moderation.domain.services.statement_service import StatementService
from moderation.domain.services.tenant_service import TenantService
from moderation.domain.services.text_scorer import TextScorer
from moderation.domain.services.transactional_moderation_units import TransactionalModerationUnits
from moderation.domain.services.transactions import Transactions
from moderation.domain.services.transparency_service import TransparencyService
from moderation.domain.services.unit_of_work import UnitOfWork
from moderation.domain.services.webhook_service import WebhookService

__all__ = [
    "DEFAULT_POLICY",
    "ENGINE_ACTOR",
    "STATUS_FOR_DECISION",
    "AppealService",
    "AuthenticationService",
    "AutoModerationService",
    "CommitEffects",
    "ContentImportService",
    "ContentService",
    "DeadLetterService",
    "EgressPolicy",
    "JobQueue",
    "JobService",
    "ModerationMetrics",
    "ModerationUnits",
    "PendingModeration",
    "PolicyService",
    "ReviewService",
    "ScoreSuggestionService",
    "ScoringCache",
    "ServiceSet",
    "StatementService",
    "TenantService",
    "TextScorer",
    "TransactionalModerationUnits",
    "Transactions",
    "TransparencyService",
    "UnitOfWork",
    "WebhookService",
]
