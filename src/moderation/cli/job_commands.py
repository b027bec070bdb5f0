"""`moderation jobs …`: dead letters of background tasks, and their replay."""

import asyncio
from typing import Annotated
from uuid import UUID

import typer
from rich.console import Console
from rich.table import Table

from moderation.cli._service_context import err, load_settings, run_in_transaction
from moderation.cli.local_queue import LocalQueue
from moderation.core.config import Settings
from moderation.domain.models import FailedTask
from moderation.domain.repositories import RepositorySet
from moderation.domain.services import DeadLetterService, ServiceSet

jobs_app = typer.Typer(
    help="Background tasks that failed every attempt: list and replay them.",
    no_args_is_help=True,
)


def _dead_letters(repos: RepositorySet) -> DeadLetterService:
    return ServiceSet(repos).dead_letters


@jobs_app.command("failed")
def failed(
    show_all: Annotated[
        bool, typer.Option("--all", help="Include dead letters already replayed.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
) -> None:
    """List dead letters, newest first."""

    async def work(repos: RepositorySet) -> list[FailedTask]:
        return await _dead_letters(repos).recent(limit=limit, include_replayed=show_all)

    table = Table("id", "task", "args", "attempts", "failed", "replayed", "error")
    for task in run_in_transaction(work):
        args = ",".join(str(arg) for arg in task.args)
        table.add_row(
            str(task.id),
            task.task_name.removeprefix("moderation."),
            args if len(args) <= 40 else f"{args[:37]}…",
            str(task.attempts),
            task.failed_at.isoformat(timespec="seconds"),
            task.replayed_at.isoformat(timespec="seconds") if task.replayed_at else "",
            task.error if len(task.error) <= 80 else f"{task.error[:77]}…",
        )
    Console().print(table)


@jobs_app.command("retry")
def retry(
    task_id: Annotated[str, typer.Argument(help="The dead letter's id (`jobs failed`).")],
    force: Annotated[bool, typer.Option(help="Replay even if replayed before.")] = False,
) -> None:
    """Replay a dead letter: sent to the workers with a broker, run here without one. A failed
    job goes back to `queued` and resumes where it stopped."""
    try:
        wanted = UUID(task_id)
    except ValueError as error:
        raise typer.BadParameter("not a task id", param_hint="TASK_ID") from error

    async def work(repos: RepositorySet) -> FailedTask:
        return await _dead_letters(repos).prepare_replay(wanted, force=force)

    task = run_in_transaction(work)
    settings = load_settings()
    try:
        where = asyncio.run(_replay(settings, task))
    except Exception as error:
        err.print(f"[red]replay of {task.id} failed:[/red] {type(error).__name__}: {error}")
        raise typer.Exit(1) from error
    typer.echo(f"replayed {task.id} ({task.task_name}) {where}")


async def _replay(settings: Settings, task: FailedTask) -> str:
    args = [str(arg) for arg in task.args]
    if settings.broker_url:
        from moderation.workers.celery_app import create_celery_app
        from moderation.workers.celery_job_queue import CeleryJobQueue

        queue = CeleryJobQueue(create_celery_app(settings))
        try:
            await queue.submit(task.task_name, args)
        finally:
            await queue.close()
        return "to the workers"
    from moderation.bootstrap.worker_context import standalone_context
    from moderation.workers.handlers import HANDLERS

    handler = HANDLERS.get(task.task_name)
    if handler is None:
        raise ValueError(f"unknown task {task.task_name}")
    context = standalone_context(settings, LocalQueue())
    try:
        await handler(context, args)
    finally:
        await context.close()
    return "here"
