import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import structlog

from moderation.core.circuit_breaker import CircuitBreaker
from moderation.core.exceptions import ServiceUnavailableError
from moderation.domain.models import TaskName

log = structlog.get_logger(__name__)

# Ids per `moderate_content` task: big enough to amortise a task's overhead, small enough that
# one slow or failing batch delays few items.
MODERATE_CHUNK = 50
# After a failed send, sends fail at once for this long instead of each waiting on a broker
# that is down: the work is in the database, and the sweeper sends it when the broker is back.
OPEN_SECONDS = 5.0


class CeleryJobQueue:
    """Sends tasks to Celery workers through the broker (Redis or RabbitMQ).

    Publishing is blocking network I/O in kombu, so it runs on a small thread pool off the
    event loop. A send that fails raises (and opens a short circuit breaker): the caller logs
    it and the sweeper re-sends later, because the database, not the broker, holds the work.
    """

    def __init__(self, app: Any, *, threads: int = 4, open_seconds: float = OPEN_SECONDS):
        self._app = app
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="broker")
        self._open_seconds = open_seconds
        self._breaker = CircuitBreaker(open_seconds)

    async def submit(self, task_name: str, args: Sequence[str]) -> None:
        if self._breaker.is_open():
            raise ServiceUnavailableError("the task broker is unavailable", retry_after=5)
        loop = asyncio.get_running_loop()
        payload = [str(arg) for arg in args]
        try:
            await loop.run_in_executor(
                self._executor, lambda: self._app.send_task(task_name, args=payload)
            )
        except Exception:
            self._breaker.failed()
            log.warning("broker.send_failed", task=task_name, open_seconds=self._open_seconds)
            raise
        self._breaker.succeeded()

    async def moderate(self, content_ids: Sequence[UUID]) -> None:
        ids = [str(i) for i in content_ids]
        for start in range(0, len(ids), MODERATE_CHUNK):
            await self.submit(TaskName.MODERATE_CONTENT, ids[start : start + MODERATE_CHUNK])

    async def run_job(self, job_id: UUID) -> None:
        await self.submit(TaskName.RUN_JOB, [str(job_id)])

    async def close(self) -> None:
        await asyncio.to_thread(self._executor.shutdown, wait=True)
