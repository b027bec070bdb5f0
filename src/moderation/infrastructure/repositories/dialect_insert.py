from typing import Any

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT for `table` in the session's dialect, which has `on_conflict_do_nothing`
    (SQLite and PostgreSQL spell the same clause with their own constructs)."""
    dialect = session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
