from typing import Protocol

from moderation.domain.services.commit_effects import CommitEffects


class UnitOfWork(Protocol):
    """One transaction: its changes commit or roll back together, and the effects noted on
    `effects` while it is open run once it has committed, never after it rolled back."""

    @property
    def effects(self) -> CommitEffects: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
