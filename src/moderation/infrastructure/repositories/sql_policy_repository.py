from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.core.exceptions import ConflictError
from moderation.domain.policy import ModerationPolicy, TenantPolicy
from moderation.infrastructure.database.tables import PolicyRow


class SqlPolicyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def latest(self, tenant_id: UUID) -> TenantPolicy | None:
        row = await self._session.scalar(
            select(PolicyRow)
            .where(PolicyRow.tenant_id == tenant_id)
            .order_by(PolicyRow.version.desc())
            .limit(1)
        )
        return _to_domain(row) if row else None

    async def get(self, tenant_id: UUID, version: int) -> TenantPolicy | None:
        row = await self._session.get(PolicyRow, (tenant_id, version))
        return _to_domain(row) if row else None

    async def add(self, policy: TenantPolicy) -> None:
        self._session.add(
            PolicyRow(
                tenant_id=policy.tenant_id,
                version=policy.version,
                document=policy.policy.model_dump(mode="json"),
                created_at=policy.created_at,
                created_by=policy.created_by or "system",
            )
        )
        try:
            await self._session.flush()
        except IntegrityError as error:
            # Two writers raced for the same version number: the later one must re-read.
            raise ConflictError("the policy was changed concurrently; retry") from error


# A version never changes once written, so parsed policies are shared process-wide: parsing is
# skipped, and the scorer batches one tenant's concurrent requests because they share one object.
_PARSED: dict[tuple[UUID, int], TenantPolicy] = {}
_PARSED_LIMIT = 4096


def _to_domain(row: PolicyRow) -> TenantPolicy:
    key = (row.tenant_id, row.version)
    cached = _PARSED.get(key)
    if cached is not None:
        return cached
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    parsed = _PARSED[key] = TenantPolicy(
        tenant_id=row.tenant_id,
        version=row.version,
        policy=ModerationPolicy.model_validate(row.document),
        created_at=row.created_at,
        created_by=row.created_by,
    )
    return parsed
