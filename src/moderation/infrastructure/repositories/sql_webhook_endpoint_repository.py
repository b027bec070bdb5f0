from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import WebhookEndpoint
from moderation.infrastructure.database.tables import WebhookEndpointRow


class SqlWebhookEndpointRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, endpoint: WebhookEndpoint) -> None:
        self._session.add(_to_row(endpoint))
        await self._session.flush()

    async def get(self, tenant_id: UUID, endpoint_id: UUID) -> WebhookEndpoint | None:
        row = await self._session.scalar(
            select(WebhookEndpointRow).where(
                WebhookEndpointRow.id == endpoint_id, WebhookEndpointRow.tenant_id == tenant_id
            )
        )
        return to_domain(row) if row is not None else None

    async def list_for_tenant(self, tenant_id: UUID) -> list[WebhookEndpoint]:
        rows = await self._session.scalars(
            select(WebhookEndpointRow)
            .where(WebhookEndpointRow.tenant_id == tenant_id)
            .order_by(WebhookEndpointRow.created_at, WebhookEndpointRow.id)
        )
        return [to_domain(row) for row in rows]

    async def count_for_tenant(self, tenant_id: UUID) -> int:
        count = await self._session.scalar(
            select(func.count())
            .select_from(WebhookEndpointRow)
            .where(WebhookEndpointRow.tenant_id == tenant_id)
        )
        return count or 0

    async def active_for_tenants(self, tenant_ids: set[UUID]) -> list[WebhookEndpoint]:
        if not tenant_ids:
            return []
        rows = await self._session.scalars(
            select(WebhookEndpointRow).where(
                WebhookEndpointRow.tenant_id.in_(tenant_ids),
                WebhookEndpointRow.active.is_(True),
            )
        )
        return [to_domain(row) for row in rows]

    async def update(self, endpoint: WebhookEndpoint) -> None:
        await self._session.execute(
            update(WebhookEndpointRow)
            .where(
                WebhookEndpointRow.id == endpoint.id,
                WebhookEndpointRow.tenant_id == endpoint.tenant_id,
            )
            .values(
                url=endpoint.url,
                event_types=list(endpoint.event_types),
                active=endpoint.active,
                description=endpoint.description,
            )
        )

    async def delete(self, tenant_id: UUID, endpoint_id: UUID) -> bool:
        result = await self._session.execute(
            delete(WebhookEndpointRow).where(
                WebhookEndpointRow.id == endpoint_id, WebhookEndpointRow.tenant_id == tenant_id
            )
        )
        return bool(getattr(result, "rowcount", 0))


def _to_row(endpoint: WebhookEndpoint) -> WebhookEndpointRow:
    return WebhookEndpointRow(
        id=endpoint.id,
        tenant_id=endpoint.tenant_id,
        url=endpoint.url,
        secret=endpoint.secret,
        event_types=list(endpoint.event_types),
        active=endpoint.active,
        description=endpoint.description,
        created_at=endpoint.created_at,
    )


def to_domain(row: WebhookEndpointRow) -> WebhookEndpoint:
    """The domain view of a stored endpoint (shared with the delivery repository's claim)."""
    return WebhookEndpoint(
        id=row.id,
        tenant_id=row.tenant_id,
        url=row.url,
        secret=row.secret,
        event_types=tuple(row.event_types),
        active=row.active,
        description=row.description,
        created_at=row.created_at,
    )
