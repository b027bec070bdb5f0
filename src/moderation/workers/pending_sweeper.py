import asyncio
import contextlib

import structlog

from moderation.core.config import Settings
from moderation.domain.services import JobQueue, Transactions
from moderation.workers.handlers import sweep_overdue

log = structlog.get_logger(__name__)

_STOP_GRACE_SECONDS = 5.0


class PendingSweeper:
    """Every `sweep_seconds`, re-sends the tasks of work that waited too long (see
    `sweep_overdue`). Runs in each API process; replicas skip each other's locked rows."""

    def __init__(
        self,
        transactions: Transactions,
        queue: JobQueue,
        settings: Settings,
        *,
        content: bool,
    ) -> None:
        self._transactions = transactions
        self._queue = queue
        self._settings = settings
        self._content = content
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="pending-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            # A sweep in flight finishes first: cancelled inside a transaction, it would strand
            # its connection.
            self._stopping.set()
            await asyncio.wait({self._task}, timeout=_STOP_GRACE_SECONDS)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
            self._stopping.clear()

    async def run_once(self) -> tuple[int, int]:
        """One sweep: (items, jobs) re-sent."""
        return await sweep_overdue(
            self._transactions, self._queue, self._settings, content=self._content
        )

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._settings.sweep_seconds)
            if self._stopping.is_set():
                return
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("sweep.failed", exc_info=True)
