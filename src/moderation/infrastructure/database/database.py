import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import structlog
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

_log = structlog.get_logger(__name__)

# Called after a commit with the session's `info`, where repositories note what they changed.
CommitHook = Callable[[Mapping[str, Any]], Awaitable[None]]


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
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time, and its busy handler waits by sleeping (up to 100 ms
        # a try), which gave multi-second tails under write load. Writers in this process take
        # turns on a lock instead. PostgreSQL needs none.
        self.write_lock: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None
        self._commit_hooks: list[CommitHook] = []

    def add_commit_hook(self, hook: CommitHook) -> None:
        """Run `hook` after every commit made through `transaction` or `committed` (cache
        invalidation: every process that writes registers it on its own `Database`)."""
        self._commit_hooks.append(hook)

    async def committed(self, session: AsyncSession) -> None:
        """Run the commit hooks for `session`, just committed. A failing hook is logged and
        does not fail the caller: the commit has happened."""
        for hook in self._commit_hooks:
            try:
                await hook(session.info)
            except Exception:
                _log.exception("database.commit_hook_failed")

    def writing(self) -> contextlib.AbstractAsyncContextManager[object]:
        """Hold this around a transaction that will write (a no-op on PostgreSQL)."""
        return self.write_lock if self.write_lock is not None else contextlib.nullcontext()

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[AsyncSession]:
        """A session whose work commits on success and rolls back on any error."""
        async with (
            self.writing() if write else contextlib.nullcontext(),
            self.sessions() as session,
        ):
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
        # Outside the write lock: a slow cache must not hold up the next writer.
        await self.committed(session)

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
