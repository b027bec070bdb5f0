from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from moderation.infrastructure.database import Database
from moderation.infrastructure.repositories.sql_repository_set import SqlRepositorySet


class SqlTransactions:
    """`Transactions` on a `Database`: each block is one `SqlUnitOfWork` (writers take the
    embedded database's write lock; effects run after the commit) with its repositories."""

    def __init__(self, database: Database) -> None:
        self.database = database

    @asynccontextmanager
    async def transaction(self, *, write: bool = True) -> AsyncIterator[SqlRepositorySet]:
        async with self.database.unit_of_work(write=write) as unit:
            yield SqlRepositorySet(unit)
