from typing import TYPE_CHECKING, Protocol

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
from moderation.domain.repositories.restriction_repository import RestrictionRepository
from moderation.domain.repositories.review_repository import ReviewRepository
from moderation.domain.repositories.score_suggestion_repository import ScoreSuggestionRepository
from moderation.domain.repositories.strike_repository import StrikeRepository
from moderation.domain.repositories.tenant_audit_repository import TenantAuditRepository
from moderation.domain.repositories.tenant_repository import TenantRepository
from moderation.domain.repositories.transparency_repository import TransparencyRepository
from moderation.domain.repositories.webhook_delivery_repository import WebhookDeliveryRepository
from moderation.domain.repositories.webhook_endpoint_repository import WebhookEndpointRepository

if TYPE_CHECKING:
    from moderation.domain.services.unit_of_work import UnitOfWork


class RepositorySet(Protocol):
    """Every repository, all on one transaction: what one of them writes the others see, and
    it all commits or rolls back together. Callers take the ones they need, so that nothing
    outside the storage adapter names a concrete repository class."""

    @property
    def unit(self) -> "UnitOfWork":
        """The transaction they share (to roll back and retry, or to note effects)."""
        ...

    @property
    def api_keys(self) -> ApiKeyRepository: ...

    @property
    def appeals(self) -> AppealRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def authors(self) -> AuthorRepository: ...

    @property
    def content(self) -> ContentRepository: ...

    @property
    def events(self) -> EventRepository: ...

    @property
    def failed_tasks(self) -> FailedTaskRepository: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    @property
    def jobs(self) -> JobRepository: ...

    @property
    def policies(self) -> PolicyRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    @property
    def restrictions(self) -> RestrictionRepository: ...

    @property
    def review(self) -> ReviewRepository: ...

    @property
    def strikes(self) -> StrikeRepository: ...

    @property
    def suggestions(self) -> ScoreSuggestionRepository: ...

    @property
    def tenant_audit(self) -> TenantAuditRepository: ...

    @property
    def tenants(self) -> TenantRepository: ...

    @property
    def transparency(self) -> TransparencyRepository: ...

    @property
    def webhook_deliveries(self) -> WebhookDeliveryRepository: ...

    @property
    def webhook_endpoints(self) -> WebhookEndpointRepository: ...
