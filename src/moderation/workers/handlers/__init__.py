"""Task handlers: the one code path behind both the Celery tasks and the in-process queue.

A handler takes a `HandlerContext` and the task's string arguments, opens its own sessions,
and must be idempotent: the queue may deliver a task twice, and a replayed dead letter runs it
again. `HANDLERS` maps each `TaskName` to its handler; the Celery app registers one task per
entry.
"""

from collections.abc import Awaitable, Callable, Sequence
from uuid import UUID

from moderation.domain.models import TaskName
from moderation.domain.services import DeadLetterService
from moderation.infrastructure.database import Database
from moderation.infrastructure.repositories import SqlFailedTaskRepository, SqlJobRepository
from moderation.workers.handlers.content_moderator import ContentModerator
from moderation.workers.handlers.handler_context import HandlerContext
from moderation.workers.handlers.import_reader import ImportReader
from moderation.workers.handlers.job_runner import JobRunner, import_path
from moderation.workers.handlers.sweep import sweep_overdue

Handler = Callable[[HandlerContext, Sequence[str]], Awaitable[object]]


async def moderate_content(context: HandlerContext, args: Sequence[str]) -> int:
    """Auto-moderate the given content ids (those still pending)."""
    return await ContentModerator(context).moderate([UUID(arg) for arg in args])


async def run_job(context: HandlerContext, args: Sequence[str]) -> object:
    """Run or resume one job."""
    return await JobRunner(context).run(UUID(args[0]))


async def deliver_webhooks(context: HandlerContext, args: Sequence[str]) -> int:  # noqa: ARG001
    """Send the webhook deliveries that are due (a broker-mode replacement for the API
    processes' delivery loop). Failed ones stay scheduled in the database; the next sweep
    sends this task again, so retries need no broker-side countdown."""
    from moderation.infrastructure.webhooks import RetrySchedule, WebhookDeliverer

    settings = context.settings
    deliverer = WebhookDeliverer(
        context.database,
        schedule=RetrySchedule(
            base_seconds=settings.webhook_retry_base_seconds,
            max_delay_seconds=settings.webhook_retry_max_seconds,
            window_seconds=settings.webhook_retry_window_seconds,
        ),
        timeout_seconds=settings.webhook_timeout_seconds,
        on_outcome=context.metrics.count_webhook_delivery if context.metrics else None,
    )
    sent = 0
    try:
        for _ in range(_DELIVERY_ROUNDS):
            done = await deliverer.run_once(settings.webhook_batch_size)
            sent += done
            if done < settings.webhook_batch_size:
                break
    finally:
        await deliverer.aclose()
    return sent


_DELIVERY_ROUNDS = 20


async def sweep(context: HandlerContext, args: Sequence[str]) -> tuple[int, int]:  # noqa: ARG001
    """Re-send lost tasks (scheduled by `moderation worker --beat`)."""
    return await sweep_overdue(context.database, context.queue, context.settings, content=True)


HANDLERS: dict[str, Handler] = {
    TaskName.MODERATE_CONTENT: moderate_content,
    TaskName.RUN_JOB: run_job,
    TaskName.SWEEP: sweep,
    TaskName.DELIVER_WEBHOOKS: deliver_webhooks,
}

# Periodic housekeeping: a failure is simply tried again at the next tick.
NOT_DEAD_LETTERED = frozenset({TaskName.SWEEP.value, TaskName.DELIVER_WEBHOOKS.value})


async def record_dead_letter(
    database: Database,
    task_id: UUID,
    task_name: str,
    args: Sequence[str],
    error: str,
    attempts: int,
) -> bool:
    """Keep a task that failed on every attempt in `failed_tasks` (once per task id)."""
    async with database.transaction() as session:
        service = DeadLetterService(SqlFailedTaskRepository(session), SqlJobRepository(session))
        return await service.record(task_id, task_name, [str(a) for a in args], error, attempts)


__all__ = [
    "HANDLERS",
    "NOT_DEAD_LETTERED",
    "ContentModerator",
    "Handler",
    "HandlerContext",
    "ImportReader",
    "JobRunner",
    "import_path",
    "moderate_content",
    "record_dead_letter",
    "run_job",
    "sweep",
    "sweep_overdue",
]
