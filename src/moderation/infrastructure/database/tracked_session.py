from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from moderation.domain.services import CommitEffects
from moderation.infrastructure.database.pending_effects import PendingEffects


class TrackedSession(AsyncSession):
    """A session that keeps the `CommitEffects` its repositories note, as its transactions
    commit or roll back (a session rolled back and retried keeps none of the first try's)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.effects = PendingEffects()

    async def commit(self) -> None:
        await super().commit()
        self.effects.committed()

    async def rollback(self) -> None:
        await super().rollback()
        self.effects.rolled_back()


def effects_of(session: AsyncSession) -> CommitEffects:
    """Where a repository notes what its change calls for after the commit; a plain session's
    notes go nowhere, since nobody would run them."""
    return session.effects if isinstance(session, TrackedSession) else PendingEffects()
