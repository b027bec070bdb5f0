from collections.abc import Sequence
from typing import Protocol
from uuid import UUID


class JobQueue(Protocol):
    """Where background tasks are sent: Celery workers when a broker is configured, asyncio
    tasks in this process otherwise. Both run the same handlers (`moderation.workers.handlers`).

    Sending is at-least-once and may be lost (a broker restart, a crash right after commit):
    the database stays the source of truth and a sweeper re-sends what was not done.
    """

    async def submit(self, task_name: str, args: Sequence[str]) -> None:
        """Run task `task_name` (a `TaskName`) with `args` in the background."""
        ...

    async def moderate(self, content_ids: Sequence[UUID]) -> None:
        """Pending items were committed: have them auto-moderated."""
        ...

    async def run_job(self, job_id: UUID) -> None:
        """A job was committed (or is due to resume): run it."""
        ...

    async def close(self) -> None: ...
