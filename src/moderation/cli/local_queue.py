from collections.abc import Sequence
from uuid import UUID


class LocalQueue:
    """The job queue of a command that runs its task itself (`backfill`, `jobs retry` without
    a broker): nothing is sent anywhere. Items it leaves pending are found in the database by
    the service's own worker or sweeper."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[str]]] = []

    async def submit(self, task_name: str, args: Sequence[str]) -> None:
        self.sent.append((task_name, [str(arg) for arg in args]))

    async def moderate(self, content_ids: Sequence[UUID]) -> None:
        del content_ids  # the service's worker polls the database for pending items

    async def run_job(self, job_id: UUID) -> None:
        del job_id  # the command runs its job itself

    async def close(self) -> None:
        return None
