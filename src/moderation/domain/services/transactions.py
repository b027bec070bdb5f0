from contextlib import AbstractAsyncContextManager
from typing import Protocol

from moderation.domain.repositories import RepositorySet


class Transactions(Protocol):
    """Where units of work come from: the one way the API, the workers and the CLI reach
    storage. A block commits when it succeeds and rolls back when it raises; the effects its
    changes noted run after the commit, never after a rollback."""

    def transaction(self, *, write: bool = True) -> AbstractAsyncContextManager[RepositorySet]:
        """Every repository on one new transaction. `write=False` promises to write nothing,
        so an embedded database's single writer is not waited for."""
        ...
