import asyncio
import contextlib
import uuid
from collections.abc import Callable, Sequence
from uuid import UUID

import structlog

from moderation.core.config import Settings
from moderation.core.exceptions import ServiceUnavailableError
from moderation.domain.models import TaskName
from moderation.domain.services import TextScorer, Transactions
from moderation.infrastructure.database import Database
from moderation.infrastructure.metrics import ServiceMetrics
from moderation.workers.handlers import (
    HANDLERS,
    NOT_DEAD_LETTERED,
    HandlerContext,
    record_dead_letter,
)
from moderation.workers.retry_policy import RetryPolicy

log = structlog.get_logger(__name__)

# Tasks accepted but not finished; past this, submitting answers 503 instead of growing memory.
DEFAULT_MAX_PENDING = 1000


class InProcessJobQueue:
    """Runs tasks as asyncio tasks in this process: the embedded mode (no broker).

    The same handlers as the Celery workers, with the same bounded retries (exponential
    backoff, full jitter) and the same dead letters. At most `concurrency` tasks run at once;
    auto-moderation is left to the in-process worker, which `moderate` only wakes.

    The handlers reach storage through `transactions`; `database` (the same storage) is what
    their context wires after-commit actions and the webhook deliverer on.
    """

    def __init__(
        self,
        database: Database,
        settings: Settings,
        scorer: Callable[[], TextScorer | None],
        *,
        transactions: Transactions,
        wake: Callable[[], None] | None = None,
        retry: RetryPolicy | None = None,
        metrics: ServiceMetrics | None = None,
        max_pending: int = DEFAULT_MAX_PENDING,
    ) -> None:
        self._wake = wake
        self._retry = retry or RetryPolicy.from_settings(settings)
        self._slots = asyncio.Semaphore(settings.job_concurrency)
        self._max_pending = max_pending
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

        async def current_scorer() -> TextScorer:
            loaded = scorer()
            if loaded is None:
                raise ServiceUnavailableError("the models are still loading", retry_after=5)
            return loaded

        self.context = HandlerContext(
            database=database,
            transactions=transactions,
            settings=settings,
            queue=self,
            scorer=current_scorer,
            metrics=metrics,
        )

    @property
    def pending(self) -> int:
        """Tasks accepted and not yet finished."""
        return len(self._tasks)

    async def submit(self, task_name: str, args: Sequence[str]) -> None:
        if task_name not in HANDLERS:
            raise ValueError(f"unknown task {task_name!r}")
        if self._closed:
            raise ServiceUnavailableError("shutting down", retry_after=5)
        if len(self._tasks) >= self._max_pending:
            raise ServiceUnavailableError(
                f"{len(self._tasks)} background tasks are waiting; retry shortly", retry_after=5
            )
        task = asyncio.create_task(
            self._run(task_name, [str(arg) for arg in args]), name=f"job-queue:{task_name}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def moderate(self, content_ids: Sequence[UUID]) -> None:
        if not content_ids:
            return
        if self._wake is not None:
            self._wake()
        else:
            await self.submit(TaskName.MODERATE_CONTENT, [str(i) for i in content_ids])

    async def run_job(self, job_id: UUID) -> None:
        await self.submit(TaskName.RUN_JOB, [str(job_id)])

    async def join(self) -> None:
        """Wait until every accepted task has finished (tests, the CLI)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Stop: tasks in flight are cancelled; their work is resumed from the database later
        (a job's lease expires and the sweeper re-sends it; items stay pending)."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _run(self, task_name: str, args: list[str]) -> None:
        handler = HANDLERS[task_name]
        task_id = uuid.uuid4()
        retries = 0
        while True:
            async with self._slots:
                try:
                    await handler(self.context, args)
                    return
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    failure: Exception = error
            if task_name in NOT_DEAD_LETTERED:
                log.warning("task.failed", task=task_name, error=repr(failure))
                return
            if retries >= self._retry.max_retries:
                break
            delay = self._retry.delay(retries)
            retries += 1
            log.warning(
                "task.retrying", task=task_name, retry=retries, delay=delay, error=repr(failure)
            )
            await asyncio.sleep(delay)
        log.error("task.dead_lettered", task=task_name, attempts=retries + 1, error=repr(failure))
        try:
            await record_dead_letter(
                self.context.transactions, task_id, task_name, args, repr(failure), retries + 1
            )
        except Exception:
            log.exception("task.dead_letter_failed", task=task_name)
