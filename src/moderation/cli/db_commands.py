"""`moderation db …`"""

import asyncio
from typing import Annotated

import typer

from moderation.cli._service_context import load_settings
from moderation.infrastructure.database import Migrator

db_app = typer.Typer(help="Database schema migrations (Alembic).", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the configured database up (default: to the latest schema)."""
    migrator = Migrator(load_settings().effective_database_url)
    migrator.upgrade(revision)
    typer.echo(f"database at {asyncio.run(migrator.current())}")


@db_app.command("downgrade")
def downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. base.")]) -> None:
    """Migrate the configured database down."""
    migrator = Migrator(load_settings().effective_database_url)
    migrator.downgrade(revision)
    typer.echo(f"database at {asyncio.run(migrator.current())}")


@db_app.command("current")
def current() -> None:
    """Print the schema revision the database is at, and the latest one."""
    migrator = Migrator(load_settings().effective_database_url)
    typer.echo(f"current {asyncio.run(migrator.current())} head {migrator.head()}")
