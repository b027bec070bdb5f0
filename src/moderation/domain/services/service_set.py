from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import cached_property

from moderation.core.jwt_verifier import JwtVerifier
from moderation.domain.repositories import RepositorySet
from moderation.domain.services.appeal_service import AppealService
from moderation.domain.services.authentication_service import AuthenticationService
from moderation.domain.services.auto_moderation_service import AutoModerationService
from moderation.domain.services.blocklist_service import BlocklistService
from moderation.domain.services.content_import_service import ContentImportService
from moderation.domain.services.content_service import ContentService
from moderation.domain.services.dead_letter_service import DeadLetterService
from moderation.domain.services.egress_policy import EgressPolicy
from moderation.domain.services.job_service import JobService
from moderation.domain.services.policy_service import PolicyService
from moderation.domain.services.review_service import ReviewService
from moderation.domain.services.score_suggestion_service import ScoreSuggestionService
from moderation.domain.services.statement_service import StatementService
from moderation.domain.services.strike_service import StrikeService
from moderation.domain.services.tenant_service import TenantService
from moderation.domain.services.text_scorer import TextScorer
from moderation.domain.services.transparency_service import TransparencyService
from moderation.domain.services.webhook_service import WebhookService


class ServiceSet:
    """The use cases on one transaction's repositories: the one place that knows which
    repositories each service works on. Routes (through `api/dependencies.py`), task handlers
    and CLI commands ask it for services instead of constructing them; what a service needs
    beyond storage (the engine, the egress policy, the JWT verifier) is passed in."""

    def __init__(self, repos: RepositorySet) -> None:
        self._repos = repos

    @cached_property
    def policies(self) -> PolicyService:
        return PolicyService(self._repos.policies, self._repos.events)

    @cached_property
    def content(self) -> ContentService:
        repos = self._repos
        return ContentService(
            repos.content,
            repos.audit,
            repos.events,
            repos.idempotency,
            review=repos.review,
            reports=repos.reports,
            strikes=self.strikes,
        )

    @cached_property
    def strikes(self) -> StrikeService:
        return StrikeService(self._repos.strikes, self._repos.events, self.policies)

    @cached_property
    def content_import(self) -> ContentImportService:
        return ContentImportService(self._repos.content, self._repos.events)

    @cached_property
    def jobs(self) -> JobService:
        return JobService(self._repos.jobs)

    @cached_property
    def dead_letters(self) -> DeadLetterService:
        return DeadLetterService(self._repos.failed_tasks, self._repos.jobs)

    @cached_property
    def review(self) -> ReviewService:
        repos = self._repos
        return ReviewService(
            repos.content, repos.review, repos.reports, repos.events, repos.authors, repos.strikes
        )

    @cached_property
    def statements(self) -> StatementService:
        return StatementService(self._repos.restrictions)

    @cached_property
    def transparency(self) -> TransparencyService:
        return TransparencyService(self._repos.transparency)

    @cached_property
    def suggestions(self) -> ScoreSuggestionService:
        return ScoreSuggestionService(self._repos.suggestions)

    @cached_property
    def tenants(self) -> TenantService:
        return TenantService(self._repos.tenants, self._repos.api_keys)

    def appeals(self, window: timedelta) -> AppealService:
        """Appeals filed up to `window` after the rejection they contest."""
        repos = self._repos
        return AppealService(
            self.content, repos.review, repos.appeals, repos.audit, repos.events, window=window
        )

    def auto_moderation(self, scorer: TextScorer) -> AutoModerationService:
        repos = self._repos
        return AutoModerationService(
            repos.content, repos.audit, repos.events, self.policies, scorer, strikes=self.strikes
        )

    def authentication(self, jwt: JwtVerifier) -> AuthenticationService:
        return AuthenticationService(self._repos.api_keys, self._repos.tenants, jwt)

    def webhooks(self, egress: EgressPolicy) -> WebhookService:
        return WebhookService(self._repos.webhook_endpoints, self._repos.webhook_deliveries, egress)

    def blocklists(self, restart: Callable[[], Awaitable[None]] | None = None) -> BlocklistService:
        """`restart` rolls the transaction back, for an edit that retries after losing a
        race for the next policy version."""
        return BlocklistService(self.policies, restart)
