import contextlib
from types import TracebackType
from typing import TYPE_CHECKING, Self

from moderation.domain.services import CommitEffects
from moderation.infrastructure.database.tracked_session import TrackedSession

if TYPE_CHECKING:
    from moderation.infrastructure.database.database import Database


class SqlUnitOfWork:
    """One transaction on a `Database`: commits when its block succeeds, rolls back when it
    raises, and then, outside the write lock (Redis and broker round trips must not hold up the
    next writer), runs the effects its committed changes noted through the database's
    `AfterCommitActions`."""

    def __init__(self, database: "Database", *, write: bool = True) -> None:
        self._database = database
        self._write = write
        self._stack = contextlib.AsyncExitStack()
        self._session: TrackedSession | None = None

    @property
    def session(self) -> TrackedSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    @property
    def effects(self) -> CommitEffects:
        return self.session.effects

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    async def __aenter__(self) -> Self:
        if self._write:
            await self._stack.enter_async_context(self._database.writing())
        session = await self._stack.enter_async_context(self._database.sessions())
        if not isinstance(session, TrackedSession):
            raise TypeError("Database.sessions must make TrackedSession")
        self._session = session
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if exc is None:
                await session.commit()
            else:
                await session.rollback()
        finally:
            await self._stack.aclose()
        # A failed commit raised above: only what did commit is run.
        await session.effects.run(self._database.after_commit)
