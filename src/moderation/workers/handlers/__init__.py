"""Task handlers: the one code path behind both the Celery tasks and the in-process queue.

A handler takes a `HandlerContext` and the task's string arguments, opens its own transactions,
and must be idempotent: the queue may deliver a task twice, and a replayed dead letter runs it
again. `HANDLERS` maps each `TaskName` to its handler; the Celery app registers one task per
entry.
"""

import time
from collections.abc import Awaitable, Callable, Sequence
from uuid import UUID

from moderation.domain.models import TaskName
from moderation.domain.services import ServiceSet, Transactions
from moderation.workers.handlers.content_moderator import ContentModerator
from moderation.workers.handlers.handler_context import HandlerContext
from moderation.workers.handlers.import_reader import ImportReader
from moderation.workers.handlers.import_record import ImportRecord
from moderation.workers.handlers.import_uploads import (
    discard_upload,
    import_path,
    sweep_orphan_uploads,
)
from moderation.workers.handlers.job_failed_error import JobFailedError
from moderation.workers.handlers.job_runner import JobRunner
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
    sends this task again, so retries need no broker-side countdown.

    A task works for about `_DELIVERY_BUDGET_SECONDS` and, when deliveries are still due,
    sends itself again, behind whatever moderation waits: a worker thread is never held for
    long by a backlog of deliveries."""
    settings = context.settings
    deliverer = context.webhook_deliverer()
    stop_at = time.monotonic() + _DELIVERY_BUDGET_SECONDS
    sent = 0
    while True:
        done = await deliverer.run_once(settings.webhook_batch_size)
        sent += done
        if done < settings.webhook_batch_size:
            return sent
        if time.monotonic() >= stop_at:
            await context.queue.submit(TaskName.DELIVER_WEBHOOKS, [])
            return sent


_DELIVERY_BUDGET_SECONDS = 2.0


async def sweep(context: HandlerContext, args: Sequence[str]) -> tuple[int, int]:  # noqa: ARG001
    """Re-send lost tasks (scheduled by `moderation worker --beat`)."""
    return await sweep_overdue(context.transactions, context.queue, context.settings, content=True)


HANDLERS: dict[str, Handler] = {
    TaskName.MODERATE_CONTENT: moderate_content,
    TaskName.RUN_JOB: run_job,
    TaskName.SWEEP: sweep,
    TaskName.DELIVER_WEBHOOKS: deliver_webhooks,
}

# Periodic housekeeping: a failure is simply tried again at the next tick.
NOT_DEAD_LETTERED = frozenset({TaskName.SWEEP.value, TaskName.DELIVER_WEBHOOKS.value})


async def record_dead_letter(
    transactions: Transactions,
    task_id: UUID,
    task_name: str,
    args: Sequence[str],
    error: str,
    attempts: int,
) -> bool:
    """Keep a task that failed on every attempt in `failed_tasks` (once per task id)."""
    async with transactions.transaction() as repos:
        service = ServiceSet(repos).dead_letters
        return await service.record(task_id, task_name, [str(a) for a in args], error, attempts)


__all__ = [
    "HANDLERS",
    "NOT_DEAD_LETTERED",
    "ContentModerator",
    "Handler",
    "HandlerContext",
    "ImportReader",
    "ImportRecord",
    "JobFailedError",
    "JobRunner",
    "discard_upload",
    "import_path",
    "moderate_content",
    "record_dead_letter",
    "run_job",
    "sweep",
    "sweep_orphan_uploads",
    "sweep_overdue",
]
