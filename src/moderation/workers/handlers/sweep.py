"""Re-sending tasks that were lost: the safety net under an at-least-once queue."""

from datetime import UTC, datetime, timedelta

import structlog

from moderation.core.config import Settings
from moderation.domain.models import TaskName
from moderation.domain.services import JobQueue, Transactions

log = structlog.get_logger(__name__)

_SWEEP_LIMIT = 1000


async def sweep_overdue(
    transactions: Transactions, queue: JobQueue, settings: Settings, *, content: bool
) -> tuple[int, int]:
    """Re-send the tasks of pending items and unfinished jobs that nobody worked on for
    `sweep_grace_seconds` (a worker killed mid-task, a broker that lost its queue, a crash
    between commit and send). Returns (items, jobs) re-sent.

    Each is marked when sent, so the next sweep, here or in another replica, leaves it alone
    for a while; a duplicate that still gets through is harmless, every task is idempotent.
    `content` is off in the embedded mode, where the in-process worker polls the database.
    """
    now = datetime.now(UTC)
    grace = timedelta(seconds=settings.sweep_grace_seconds)
    item_ids = []
    if content:
        async with transactions.transaction() as repos:
            item_ids = await repos.content.mark_overdue(
                now - grace,
                _SWEEP_LIMIT,
                now + timedelta(seconds=settings.worker_lease_seconds),
            )
        if item_ids:
            await queue.moderate(item_ids)
    async with transactions.transaction() as repos:
        job_ids = await repos.jobs.mark_overdue(now, now - grace, _SWEEP_LIMIT)
    for job_id in job_ids:
        await queue.run_job(job_id)
    if content:
        # Broker mode: webhook retries that came due are sent by a worker task, not a loop here.
        await queue.submit(TaskName.DELIVER_WEBHOOKS, [])
    if item_ids or job_ids:
        log.info("sweep.resent", items=len(item_ids), jobs=len(job_ids))
    return len(item_ids), len(job_ids)
