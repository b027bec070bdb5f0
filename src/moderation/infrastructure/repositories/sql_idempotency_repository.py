from uuid import UUID

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
