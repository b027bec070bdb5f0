from collections.abc import Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from moderation.core.exceptions import ConflictError
from moderation.domain.policy import ModerationPolicy, PolicyBlocklists, TenantPolicy
from moderation.domain.services.policy_service import PolicyService

T = TypeVar("T")
# policy in force -> (the policy to store, what the caller gets back)
Edit = Callable[[PolicyBlocklists], tuple[ModerationPolicy, T]]
# Enough for a handful of simultaneous writers to one tenant: each lost round means another
# writer's change went in.
MAX_ATTEMPTS = 5


class BlocklistService:
    """Text blocklists, kept in the tenant's policy: each change is a new policy version
    (audited, `PolicyChanged`), written against the version it was derived from.

    Two writers deriving from the same version would otherwise lose one's change: the later
    one fails (the version check, or the database refusing a second row for that version) and
    derives its change again from the newer policy. A failed insert spoils the unit of work, so
    a retry first calls `restart` (the API passes its session's rollback: nothing else was done
    in it); without one, only a failed version check is retried. Past `MAX_ATTEMPTS`, or
    without a way to restart, the conflict is the caller's (409).
    """

    def __init__(
        self, policies: PolicyService, restart: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        self._policies = policies
        self._restart = restart

    async def current(self, tenant_id: UUID) -> PolicyBlocklists:
        return PolicyBlocklists((await self._policies.current(tenant_id)).policy)

    async def change(
        self, tenant_id: UUID, actor: str, edit: Edit[T]
    ) -> tuple[TenantPolicy | None, T]:
        """Apply `edit` to the policy in force and store the result as the next version.
        Returns the new version (None when the edit changed nothing, so no version is written)
        and the edit's own result."""
        attempts = MAX_ATTEMPTS
        while True:
            attempts -= 1
            current = await self._policies.current(tenant_id)
            policy, result = edit(PolicyBlocklists(current.policy))
            if policy == current.policy:
                return None, result
            try:
                updated = await self._policies.replace(
                    tenant_id, policy, actor, expected_version=current.version
                )
            except ConflictError as error:
                checked = "current_version" in error.extra
                if not attempts or (self._restart is None and not checked):
                    raise
                if self._restart is not None:
                    await self._restart()
                continue
            return updated, result
