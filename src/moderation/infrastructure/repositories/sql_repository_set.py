from functools import cached_property

from moderation.infrastructure.database import SqlUnitOfWork
from moderation.infrastructure.repositories.sql_api_key_repository import SqlApiKeyRepository
from moderation.infrastructure.repositories.sql_appeal_repository import SqlAppealRepository
from moderation.infrastructure.repositories.sql_audit_repository import SqlAuditRepository
from moderation.infrastructure.repositories.sql_author_repository import SqlAuthorRepository
from moderation.infrastructure.repositories.sql_content_repository import SqlContentRepository
from moderation.infrastructure.repositories.sql_event_repository import SqlEventRepository
from moderation.infrastructure.repositories.sql_failed_task_repository import (
    SqlFailedTaskRepository,
)
from moderation.infrastructure.repositories.sql_idempotency_repository import (
    SqlIdempotencyRepository,
)
from moderation.infrastructure.repositories.sql_job_repository import SqlJobRepository
from moderation.infrastructure.repositories.sql_policy_repository import SqlPolicyRepository
from moderation.infrastructure.repositories.sql_report_repository import SqlReportRepository
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
from moderation.infrastructure.repositories.sql_transparency_repository import (
    SqlTransparencyRepository,
)
from moderation.infrastructure.repositories.sql_webhook_delivery_repository import (
    SqlWebhookDeliveryRepository,
)
from moderation.infrastructure.repositories.sql_webhook_endpoint_repository import (
    SqlWebhookEndpointRepository,
)


class SqlRepositorySet:
    """`RepositorySet` on one SQL unit of work: the only place the SQL repositories are made.
    Each is built on first use, so a request that reads one table builds one object."""

    def __init__(self, unit: SqlUnitOfWork) -> None:
        self._unit = unit
        self._session = unit.session

    @property
    def unit(self) -> SqlUnitOfWork:
        return self._unit

    @cached_property
    def api_keys(self) -> SqlApiKeyRepository:
        return SqlApiKeyRepository(self._session)

    @cached_property
    def appeals(self) -> SqlAppealRepository:
        return SqlAppealRepository(self._session)

    @cached_property
    def audit(self) -> SqlAuditRepository:
        return SqlAuditRepository(self._session)

    @cached_property
    def authors(self) -> SqlAuthorRepository:
        return SqlAuthorRepository(self._session)

    @cached_property
    def content(self) -> SqlContentRepository:
        return SqlContentRepository(self._session)

    @cached_property
    def events(self) -> SqlEventRepository:
        return SqlEventRepository(self._session)

    @cached_property
    def failed_tasks(self) -> SqlFailedTaskRepository:
        return SqlFailedTaskRepository(self._session)

    @cached_property
    def idempotency(self) -> SqlIdempotencyRepository:
        return SqlIdempotencyRepository(self._session)

    @cached_property
    def jobs(self) -> SqlJobRepository:
        return SqlJobRepository(self._session)

    @cached_property
    def policies(self) -> SqlPolicyRepository:
        return SqlPolicyRepository(self._session)

    @cached_property
    def reports(self) -> SqlReportRepository:
        return SqlReportRepository(self._session)

    @cached_property
    def restrictions(self) -> SqlRestrictionRepository:
        return SqlRestrictionRepository(self._session)

    @cached_property
    def review(self) -> SqlReviewRepository:
        return SqlReviewRepository(self._session)

    @cached_property
    def strikes(self) -> SqlStrikeRepository:
        return SqlStrikeRepository(self._session)

    @cached_property
    def suggestions(self) -> SqlScoreSuggestionRepository:
        return SqlScoreSuggestionRepository(self._session)

    @cached_property
    def tenant_audit(self) -> SqlTenantAuditRepository:
        return SqlTenantAuditRepository(self._session)

    @cached_property
    def tenants(self) -> SqlTenantRepository:
        return SqlTenantRepository(self._session)

    @cached_property
    def transparency(self) -> SqlTransparencyRepository:
        return SqlTransparencyRepository(self._session)

    @cached_property
    def webhook_deliveries(self) -> SqlWebhookDeliveryRepository:
        return SqlWebhookDeliveryRepository(self._session)

    @cached_property
    def webhook_endpoints(self) -> SqlWebhookEndpointRepository:
        return SqlWebhookEndpointRepository(self._session)
