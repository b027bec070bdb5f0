from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.models import (
    Page,
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)
from moderation.infrastructure.database.tables import WebhookDeliveryRow, WebhookEndpointRow
from moderation.infrastructure.database.tracked_session import effects_of
from moderation.infrastructure.repositories.sql_webhook_endpoint_repository import (
    to_domain as endpoint_to_domain,
)

_RETRYABLE = (str(WebhookDeliveryStatus.PENDING), str(WebhookDeliveryStatus.FAILED))
# Rows per INSERT: keeps each statement well under PostgreSQL's 32767 bind parameters.
_INSERT_CHUNK = 500


class SqlWebhookDeliveryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_missing(self, deliveries: list[WebhookDelivery]) -> int:
        # ON CONFLICT DO NOTHING rather than check-then-insert: two relays racing on the same
        # event cannot both insert, and neither fails (which would roll back its whole batch).
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        inserted = 0
        for start in range(0, len(deliveries), _INSERT_CHUNK):
            chunk = deliveries[start : start + _INSERT_CHUNK]
            statement = (
                insert(WebhookDeliveryRow)
                .values([_values(delivery) for delivery in chunk])
                .on_conflict_do_nothing(index_elements=["endpoint_id", "event_id"])
            )
            result = await self._session.execute(statement)
            inserted += max(int(getattr(result, "rowcount", 0) or 0), 0)
        if inserted:
            effects_of(self._session).deliveries_added()
        return inserted

    async def page_for_endpoint(
        self,
        endpoint_id: UUID,
        *,
        status: WebhookDeliveryStatus | None,
        page: int,
        size: int,
    ) -> Page[WebhookDelivery]:
        conditions: list[Any] = [WebhookDeliveryRow.endpoint_id == endpoint_id]
        if status is not None:
            conditions.append(WebhookDeliveryRow.status == str(status))
        total = await self._session.scalar(
            select(func.count()).select_from(WebhookDeliveryRow).where(*conditions)
        )
        rows = await self._session.scalars(
            select(WebhookDeliveryRow)
            .where(*conditions)
            .order_by(WebhookDeliveryRow.created_at.desc(), WebhookDeliveryRow.id)
            .offset((page - 1) * size)
            .limit(size)
        )
        return Page[WebhookDelivery](
            items=[_to_domain(row) for row in rows], total=total or 0, page=page, size=size
        )

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        lease_until: datetime,
        *,
        exclude_tenants: Collection[UUID] = (),
        exclude_endpoints: Collection[UUID] = (),
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
        # Round robin across tenants: each tenant's oldest due delivery first, then each one's
        # second, and so on, so a tenant with thousands due cannot fill every batch. The rank
        # is computed in a subquery because PostgreSQL refuses FOR UPDATE beside a window.
        due: list[Any] = [
            WebhookDeliveryRow.status.in_(_RETRYABLE),
            WebhookDeliveryRow.next_attempt_at <= now,
        ]
        ranked_filter = [*due, WebhookEndpointRow.active.is_(True)]
        if exclude_tenants:
            ranked_filter.append(WebhookDeliveryRow.tenant_id.not_in(list(exclude_tenants)))
        if exclude_endpoints:
            ranked_filter.append(WebhookDeliveryRow.endpoint_id.not_in(list(exclude_endpoints)))
        turn = (
            func.row_number()
            .over(
                partition_by=WebhookDeliveryRow.tenant_id,
                order_by=(WebhookDeliveryRow.next_attempt_at, WebhookDeliveryRow.created_at),
            )
            .label("turn")
        )
        ranked = (
            select(WebhookDeliveryRow.id, WebhookDeliveryRow.next_attempt_at, turn)
            .join(WebhookEndpointRow, WebhookEndpointRow.id == WebhookDeliveryRow.endpoint_id)
            .where(*ranked_filter)
            .subquery()
        )
        picked = select(ranked.c.id).order_by(ranked.c.turn, ranked.c.next_attempt_at).limit(limit)
        # SKIP LOCKED (of the delivery rows only) lets several deliverers claim disjoint batches
        # on PostgreSQL; SQLite has a single writer and ignores it. The due conditions are
        # repeated here so that a row another deliverer claimed meanwhile is re-checked, not
        # claimed twice. A claim moves the due time to the end of the lease, so a deliverer that
        # dies mid-request leaves it to be retried.
        result = await self._session.execute(
            select(WebhookDeliveryRow, WebhookEndpointRow)
            .join(WebhookEndpointRow, WebhookEndpointRow.id == WebhookDeliveryRow.endpoint_id)
            .where(WebhookDeliveryRow.id.in_(picked), *due)
            .with_for_update(skip_locked=True, of=WebhookDeliveryRow)
        )
        claimed: list[tuple[WebhookDelivery, WebhookEndpoint]] = []
        for delivery_row, endpoint_row in result:
            delivery_row.next_attempt_at = lease_until
            claimed.append((_to_domain(delivery_row), endpoint_to_domain(endpoint_row)))
        await self._session.flush()
        return claimed

    async def record_attempts(self, attempts: Sequence[WebhookAttempt]) -> None:
        if not attempts:
            return
        table = cast(Table, WebhookDeliveryRow.__table__)
        # One executemany, not an ORM update per delivery: a worker records hundreds a second.
        # Only a delivery still owed an attempt is updated: a late result can never turn a
        # delivered one back into a failure.
        statement = (
            update(table)
            # Equalities, not IN: an expanding IN cannot be used with executemany.
            .where(
                table.c.id == bindparam("b_id"),
                or_(*(table.c.status == status for status in _RETRYABLE)),
            )
            .values(
                status=bindparam("b_status"),
                attempts=bindparam("b_attempts"),
                next_attempt_at=bindparam("b_next"),
                last_status_code=bindparam("b_code"),
                last_error=bindparam("b_error"),
                delivered_at=bindparam("b_delivered"),
            )
        )
        await self._session.execute(
            statement,
            [
                {
                    "b_id": attempt.delivery_id,
                    "b_status": str(attempt.status),
                    "b_attempts": attempt.attempts,
                    "b_next": attempt.next_attempt_at,
                    "b_code": attempt.status_code,
                    "b_error": attempt.error[:2000] if attempt.error is not None else None,
                    "b_delivered": attempt.delivered_at,
                }
                for attempt in attempts
            ],
        )

    async def get(self, delivery_id: UUID) -> WebhookDelivery | None:
        row = await self._session.get(WebhookDeliveryRow, delivery_id)
        return _to_domain(row) if row is not None else None


def _values(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "endpoint_id": delivery.endpoint_id,
        "tenant_id": delivery.tenant_id,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "payload": delivery.payload,
        "status": str(delivery.status),
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "created_at": delivery.created_at,
        "delivered_at": delivery.delivered_at,
        "trace_parent": delivery.trace_parent,
    }


def _to_domain(row: WebhookDeliveryRow) -> WebhookDelivery:
    return WebhookDelivery(
        id=row.id,
        endpoint_id=row.endpoint_id,
        tenant_id=row.tenant_id,
        event_id=row.event_id,
        event_type=row.event_type,
        payload=row.payload,
        status=WebhookDeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
        trace_parent=row.trace_parent,
    )
