import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from moderation.infrastructure.database.after_commit_actions import AfterCommitActions
from moderation.infrastructure.database.sql_unit_of_work import SqlUnitOfWork
from moderation.infrastructure.database.tracked_session import TrackedSession


class Database:
    """The async engine and session factory for one database URL (SQLite or PostgreSQL)."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # hide_parameters: a statement's values (content, webhook secrets) stay out of errors.
        options: dict[str, Any] = {"echo": echo, "pool_pre_ping": True, "hide_parameters": True}
        if not self.is_sqlite:
            options.update(pool_size=pool_size, max_overflow=pool_size)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, class_=TrackedSession
        )
        # SQLite has one writer at a time, and its busy handler waits by sleeping (up to 100 ms
        # a try), which gave multi-second tails under write load. Writers in this process take
        # turns on a lock instead. PostgreSQL needs none.
        self.write_lock: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None
        # What a commit's effects mean in this process (wake which worker, send which task),
        # filled in by whoever starts the process's workers and queues.
        self.after_commit = AfterCommitActions()

    def writing(self) -> contextlib.AbstractAsyncContextManager[object]:
        """Hold this around a transaction that will write (a no-op on PostgreSQL)."""
        return self.write_lock if self.write_lock is not None else contextlib.nullcontext()

    def unit_of_work(self, *, write: bool = True) -> SqlUnitOfWork:
        """A transaction that runs its after-commit effects (see `SqlUnitOfWork`)."""
        return SqlUnitOfWork(self, write=write)

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[TrackedSession]:
        """A session whose work commits on success and rolls back on any error; what its
        repositories noted for after the commit runs once it has."""
        async with self.unit_of_work(write=write) as unit:
            yield unit.session

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the worker's writes; busy_timeout waits instead of failing
    # with "database is locked" when the API and the worker write at the same moment.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
