from typing import Any
from uuid import UUID

import structlog
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.core.exceptions import ConflictError
from moderation.domain.policy import ModerationPolicy, TenantPolicy
from moderation.infrastructure.database.tables import PolicyRow
from moderation.infrastructure.database.tracked_session import effects_of
from moderation.ml.policy.moderation_policy import MAX_RULES

_log = structlog.get_logger(__name__)


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
        effects_of(self._session).policy_changed(policy.tenant_id)


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
        policy=_parse_stored(row),
        created_at=row.created_at,
        created_by=row.created_by,
    )
    return parsed


def _parse_stored(row: PolicyRow) -> ModerationPolicy:
    """The stored document as a policy, even when it predates today's rule checks.

    Versions saved before the RE2 vetting and the per-policy caps may hold rules that are now
    refused (lookaround, backreferences, too many rules). Refusing the whole version would make
    every request of that tenant fail; instead the refused rules are left out, loudly (a
    warning per load), and the tenant's next PUT must pass the checks."""
    document: dict[str, Any] = dict(row.document)
    try:
        return ModerationPolicy.model_validate(document)
    except ValidationError as error:
        refused = {
            loc[1]
            for problem in error.errors()
            if len(loc := problem["loc"]) > 1 and loc[0] == "term_rules" and isinstance(loc[1], int)
        }
        rules = [r for i, r in enumerate(document.get("term_rules") or []) if i not in refused]
        cleaned = {**document, "term_rules": rules[:MAX_RULES]}
        try:
            policy = ModerationPolicy.model_validate(cleaned)
        except ValidationError:
            # Whatever else is wrong, the rules are what the checks tightened: keep the rest.
            policy = ModerationPolicy.model_validate({**document, "term_rules": []})
        _log.warning(
            "policy.stored_rules_dropped",
            tenant_id=str(row.tenant_id),
            version=row.version,
            dropped=len(document.get("term_rules") or []) - len(policy.term_rules),
        )
        return policy
