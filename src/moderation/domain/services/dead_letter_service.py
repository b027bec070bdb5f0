from datetime import UTC, datetime
from uuid import UUID

from moderation.core.exceptions import ConflictError, NotFoundError
from moderation.domain.models import FailedTask, JobStatus, TaskName
from moderation.domain.repositories import FailedTaskRepository, JobRepository


class DeadLetterService:
    """Tasks that failed on every allowed attempt: recorded, listed, and replayed on request."""

    def __init__(self, failed: FailedTaskRepository, jobs: JobRepository) -> None:
        self._failed = failed
        self._jobs = jobs

    async def record(
        self, task_id: UUID, task_name: str, args: list[str], error: str, attempts: int
    ) -> bool:
        """Keep the dead letter; a job whose task died is marked failed with the error (a replay
        puts it back in the queue, and it resumes where it stopped). False if already kept."""
        now = datetime.now(UTC)
        added = await self._failed.add(
            FailedTask(
                id=task_id,
                task_name=task_name,
                args=list(args),
                error=error[:4000],
                attempts=attempts,
                failed_at=now,
            )
        )
        if added and task_name == TaskName.RUN_JOB and args:
            await self._jobs.finish(UUID(args[0]), JobStatus.FAILED, now, error=error)
        return added

    async def recent(self, *, limit: int = 100, include_replayed: bool = False) -> list[FailedTask]:
        return await self._failed.recent(limit=limit, include_replayed=include_replayed)

    async def prepare_replay(self, task_id: UUID, *, force: bool = False) -> FailedTask:
        """Mark the dead letter replayed (a failed job goes back to `queued`) and return it; the
        caller sends its task after commit. A replayed letter is replayed again only by force."""
        task = await self._failed.get(task_id)
        if task is None:
            raise NotFoundError(f"no failed task {task_id}")
        if task.replayed_at is not None and not force:
            raise ConflictError(
                f"task {task_id} was replayed at {task.replayed_at.isoformat()}; use --force"
            )
        await self._failed.mark_replayed(task_id, datetime.now(UTC))
        if task.task_name == TaskName.RUN_JOB and task.args:
            await self._jobs.requeue(UUID(str(task.args[0])))
        return task
