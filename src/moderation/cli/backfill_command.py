"""`moderation backfill`"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from moderation.cli._service_context import err, load_settings
from moderation.cli.local_queue import LocalQueue
from moderation.core.config import Settings
from moderation.core.exceptions import ModerationError
from moderation.domain.models import Job, JobKind, ModerationStatus
from moderation.domain.services import ServiceSet

_STATUSES = ", ".join([*(s.value for s in ModerationStatus), "all"])


def backfill(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant name or id.")],
    status: Annotated[
        str, typer.Option(help=f"Which items to (re-)moderate: {_STATUSES}.")
    ] = "pending",
    batch_size: Annotated[
        int, typer.Option(min=1, max=10_000, help="Items per batch (one transaction each).")
    ] = 500,
) -> None:
    """Re-moderate a tenant's items in batches, here, with a progress bar.

    `--status pending` decides what waits (a backlog after an outage); `flagged`, `approved`,
    `rejected` or `all` re-score engine decisions under the current policy and model. Reviewer
    decisions are never replaced. Recorded as a `backfill` job (see GET /api/v1/jobs), so an
    interrupted run is visible, and running it again re-decides nothing already decided.
    """
    if status != "all" and status not in {s.value for s in ModerationStatus}:
        raise typer.BadParameter(f"choose from {_STATUSES}", param_hint="--status")
    wanted = None if status == "all" else ModerationStatus(status)
    settings = load_settings()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
    )
    try:
        with progress:
            bar = progress.add_task(f"backfill {tenant} ({status})", total=None)

            async def report(done: int, total: int | None) -> None:
                progress.update(bar, completed=done, total=total)

            job = asyncio.run(_backfill(settings, tenant, wanted, batch_size, report))
    except ModerationError as error:
        err.print(f"[red]error:[/red] {error.detail or error.title}")
        raise typer.Exit(1) from error
    if job is None:
        err.print("[red]error:[/red] the job was taken by another runner")
        raise typer.Exit(1)
    summary = ", ".join(f"{key} {value}" for key, value in job.result.items())
    typer.echo(f"job {job.id} {job.status}: {job.processed} items ({summary})")


async def _backfill(
    settings: Settings,
    tenant: str,
    status: ModerationStatus | None,
    batch_size: int,
    report: Callable[[int, int | None], Awaitable[None]],
) -> Job | None:
    from moderation.bootstrap.worker_context import standalone_context
    from moderation.infrastructure.database import Migrator
    from moderation.workers.handlers import JobRunner

    if settings.auto_migrate:
        await Migrator(settings.effective_database_url).upgrade_async()
    context = standalone_context(settings, LocalQueue())
    try:
        async with context.transactions.transaction() as repos:
            found = await ServiceSet(repos).tenants.tenant(tenant)
            job = await ServiceSet(repos).jobs.submit_rescore(
                found.id,
                "cli:backfill",
                status=status,
                kind=JobKind.BACKFILL,
                batch_size=batch_size,
            )
        return await JobRunner(context, on_progress=report).run(job.id)
    finally:
        await context.close()
