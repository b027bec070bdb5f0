"""Alembic migrations on a fresh SQLite file and a fresh PostgreSQL database: up, down to
base, up again; and the migrated schema is exactly what the SQLAlchemy models describe."""

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from moderation.infrastructure.database import Migrator, tables
from moderation.infrastructure.database.base import Base

POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
TABLES = {
    "tenants",
    "api_keys",
    "content_items",
    "content_tags",
    "audit_log",
    "outbox_events",
    "tenant_policies",
    "idempotency_keys",
    "webhook_endpoints",
    "webhook_deliveries",
    "jobs",
    "failed_tasks",
    "score_suggestions",
    "content_reports",
    "content_appeals",
    "tenant_audit",
    "shadow_configs",
    "shadow_decisions",
    "author_strikes",
    "author_actions",
}
AUDIT_TRIGGERS = {"audit_log_no_update", "tenant_audit_no_update"}


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database that no other test uses."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"moderation_migrations_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as error:  # pragma: no cover - machine setup
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_DSN}: {error}")
    yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _trigger_names(connection: Connection) -> set[str]:
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {str(name) for name in connection.execute(text(query)).scalars()}


def _schema_diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    diff: list[Any] = compare_metadata(context, Base.metadata)
    return diff


def _inspect(url: str, probe: Any) -> Any:
    async def run() -> Any:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(probe)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_the_models_declare_every_migrated_table() -> None:
    assert set(Base.metadata.tables) == TABLES
    assert tables.__all__  # importing the package is what registers the tables


def test_upgrade_downgrade_upgrade(fresh_url: str) -> None:
    migrator = Migrator(fresh_url)
    migrator.upgrade()
    assert _inspect(fresh_url, _table_names) == TABLES | {"alembic_version"}
    assert AUDIT_TRIGGERS <= _inspect(fresh_url, _trigger_names)
    assert asyncio.run(migrator.current()) == migrator.head()

    migrator.downgrade("base")
    assert _inspect(fresh_url, _table_names) <= {"alembic_version"}
    assert not _inspect(fresh_url, _trigger_names)
    assert asyncio.run(migrator.current()) is None

    migrator.upgrade()
    assert _inspect(fresh_url, _table_names) == TABLES | {"alembic_version"}
    assert asyncio.run(migrator.current()) == migrator.head()


def test_the_migrated_schema_matches_the_models(fresh_url: str) -> None:
    Migrator(fresh_url).upgrade()
    assert _inspect(fresh_url, _schema_diff) == []
