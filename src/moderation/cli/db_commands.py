"""`moderation db …`"""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from moderation.cli._service_context import load_settings, run_with_transactions
from moderation.domain.services import Transactions
from moderation.domain.services.data_retention import PURGE_BATCH_SIZE, DataRetention
from moderation.infrastructure.database import Migrator

db_app = typer.Typer(
    help="Database schema migrations (Alembic), and purges of expired rows.",
    no_args_is_help=True,
)


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


@db_app.command("purge")
def purge(
    outbox_days: Annotated[
        int,
        typer.Option(min=0, help="Delete outbox events published more than this many days ago."),
    ] = 7,
    idempotency: Annotated[
        bool, typer.Option("--idempotency", help="Also delete expired idempotency records.")
    ] = False,
    idempotency_days: Annotated[
        int,
        typer.Option(
            min=1,
            help=(
                "With --idempotency: a record expires this many days after the request that "
                "stored it; a retry after that creates the item anew."
            ),
        ),
    ] = 30,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="Rows deleted per transaction.")
    ] = PURGE_BATCH_SIZE,
) -> None:
    """Delete rows the service no longer needs, in batches of one transaction each, so the API
    and the workers keep writing meanwhile. Unpublished outbox events are never deleted.
    Safe to run while the service runs, and again (e.g. daily from cron)."""
    now = datetime.now(UTC)
    published_before = now - timedelta(days=outbox_days)
    created_before = now - timedelta(days=idempotency_days)

    async def work(transactions: Transactions) -> tuple[int, int | None]:
        retention = DataRetention(transactions, batch_size=batch_size)
        events = await retention.purge_published_events(published_before)
        if not idempotency:
            return events, None
        return events, await retention.purge_idempotency_records(created_before)

    events, records = run_with_transactions(work)
    typer.echo(
        f"outbox events published before {published_before.isoformat(timespec='seconds')}: "
        f"{events} deleted"
    )
    if records is not None:
        typer.echo(
            f"idempotency records created before "
            f"{created_before.isoformat(timespec='seconds')}: {records} deleted"
        )
