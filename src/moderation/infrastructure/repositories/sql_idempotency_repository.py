from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, literal, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.core.exceptions import ConflictError
from moderation.domain.models import IdempotencyRecord
from moderation.infrastructure.database.tables import IdempotencyRow


class SqlIdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, tenant_id: UUID, key: str) -> IdempotencyRecord | None:
        row = await self._session.get(IdempotencyRow, (tenant_id, key))
        if row is None:
            return None
        return IdempotencyRecord(
            tenant_id=row.tenant_id,
            key=row.key,
            request_hash=row.request_hash,
            status_code=row.status_code,
            response=row.response,
            created_at=row.created_at,
        )

    async def add(self, record: IdempotencyRecord) -> None:
        self._session.add(IdempotencyRow(**record.model_dump(mode="python")))
        try:
            await self._session.flush()
        except IntegrityError as error:
            # A concurrent request with the same key won the race; its result is the answer.
            raise ConflictError(
                "a request with this Idempotency-Key is in progress; retry to get its result",
                headers={"Retry-After": "1"},
            ) from error

    async def delete_created_before(
        self, before: datetime, limit: int, *, after: tuple[UUID, str] | None = None
    ) -> list[tuple[UUID, str]]:
        # The table has no index on created_at: the batch walks the primary key from `after`,
        # so successive batches never re-read the records they kept. Chosen first, then
        # deleted by key: a DELETE that returns its keys needs SQLite 3.35.
        batch = select(IdempotencyRow.tenant_id, IdempotencyRow.key).where(
            IdempotencyRow.created_at < before
        )
        if after is not None:
            # Bound with the columns' types, so the UUID compares as stored (hex on SQLite).
            cursor = tuple_(
                literal(after[0], IdempotencyRow.tenant_id.type),
                literal(after[1], IdempotencyRow.key.type),
            )
            batch = batch.where(tuple_(IdempotencyRow.tenant_id, IdempotencyRow.key) > cursor)
        rows = await self._session.execute(
            batch.order_by(IdempotencyRow.tenant_id, IdempotencyRow.key).limit(limit)
        )
        keys = [(tenant_id, key) for tenant_id, key in rows]
        if keys:
            await self._session.execute(
                delete(IdempotencyRow)
                .where(tuple_(IdempotencyRow.tenant_id, IdempotencyRow.key).in_(keys))
                .execution_options(synchronize_session=False)
            )
        return keys
