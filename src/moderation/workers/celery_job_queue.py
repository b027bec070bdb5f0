import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

from moderation.domain.models import TaskName

# Ids per `moderate_content` task: big enough to amortise a task's overhead, small enough that
# one slow or failing batch delays few items.
MODERATE_CHUNK = 50


class CeleryJobQueue:
    """Sends tasks to Celery workers through the broker (Redis or RabbitMQ).

    Publishing is blocking network I/O in kombu, so it runs on a small thread pool off the
    event loop. A send that fails raises: the caller logs it and the sweeper re-sends later,
    because the database, not the broker, holds the work.
    """

    def __init__(self, app: Any, *, threads: int = 4) -> None:
        self._app = app
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="broker")

    async def submit(self, task_name: str, args: Sequence[str]) -> None:
        loop = asyncio.get_running_loop()
        payload = [str(arg) for arg in args]
        await loop.run_in_executor(
            self._executor, lambda: self._app.send_task(task_name, args=payload)
        )

    async def moderate(self, content_ids: Sequence[UUID]) -> None:
        ids = [str(i) for i in content_ids]
        for start in range(0, len(ids), MODERATE_CHUNK):
            await self.submit(TaskName.MODERATE_CONTENT, ids[start : start + MODERATE_CHUNK])

    async def run_job(self, job_id: UUID) -> None:
        await self.submit(TaskName.RUN_JOB, [str(job_id)])

    async def close(self) -> None:
        await asyncio.to_thread(self._executor.shutdown, wait=True)
