"""`moderation worker`"""

import os
import socket
from typing import Annotated, Literal

import typer

from moderation.cli._service_context import err, load_settings

Pool = Literal["threads", "prefork", "solo"]


def worker(
    concurrency: Annotated[
        int, typer.Option(min=1, max=256, help="Tasks run at once by this worker.")
    ] = 8,
    queues: Annotated[
        str,
        typer.Option(help="Comma-separated queues to consume: moderation, jobs, webhooks."),
    ] = "moderation,jobs,webhooks",
    pool: Annotated[
        str,
        typer.Option(
            help="threads: one engine shared by all tasks (default); prefork: one per process."
        ),
    ] = "threads",
    beat: Annotated[
        bool, typer.Option(help="Also schedule the sweeper; give exactly one worker --beat.")
    ] = False,
    loglevel: Annotated[str, typer.Option(help="Celery's log level.")] = "INFO",
) -> None:
    """Run a Celery worker: auto-moderation of new items, imports, re-scores.

    Needs MODERATION_BROKER_URL (redis://… or amqp://…) and the API's database
    (MODERATION_DATABASE_URL); imports also read uploads from MODERATION_DATA_DIR, so share that
    directory between API and workers. Start as many as you like, on as many machines.
    """
    if pool not in ("threads", "prefork", "solo"):
        raise typer.BadParameter("must be threads, prefork or solo", param_hint="--pool")
    wanted = [name.strip() for name in queues.split(",") if name.strip()]
    from moderation.workers.celery_app import QUEUES

    unknown = sorted(set(wanted) - set(QUEUES))
    if unknown or not wanted:
        raise typer.BadParameter(
            f"unknown queue(s) {', '.join(unknown) or '(none)'}; choose from {','.join(QUEUES)}",
            param_hint="--queues",
        )
    settings = load_settings()
    if not settings.broker_url:
        err.print("[red]error:[/red] set MODERATION_BROKER_URL (redis://… or amqp://…) first")
        raise typer.Exit(2)
    from moderation.core.logging import configure_logging
    from moderation.infrastructure.database import Migrator

    configure_logging(settings.log_level, settings.log_json)
    if settings.auto_migrate:
        Migrator(settings.effective_database_url).upgrade()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    from moderation.infrastructure.telemetry import Tracing

    tracing = Tracing.from_settings(settings, role="worker")
    if tracing is not None:
        # Before any task runs: the context a task carries from its sender becomes its parent.
        tracing.instrument_celery()
        tracing.instrument_all_databases()
    from moderation.bootstrap.worker_context import celery_worker_app

    app = celery_worker_app(settings)
    argv = [
        "worker",
        f"--concurrency={concurrency}",
        f"--queues={','.join(wanted)}",
        f"--pool={pool}",
        f"--loglevel={loglevel}",
        # Unique per process, so several workers on one machine do not clash.
        f"--hostname=moderation-{os.getpid()}@{socket.gethostname()}",
        "--without-mingle",
    ]
    if beat:
        argv.append("--beat")
    err.print(
        f"worker on {settings.broker_url.split('://')[0]} broker, queues {','.join(wanted)}, "
        f"{concurrency} {pool}"
    )
    app.worker_main(argv)
