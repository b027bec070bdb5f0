import structlog

from moderation.core.config import Settings
from moderation.core.polling_loop import PollingLoop
from moderation.domain.services import JobQueue, Transactions
from moderation.workers.handlers import sweep_overdue

log = structlog.get_logger(__name__)


class PendingSweeper(PollingLoop):
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
        # Its first sweep waits one interval too: what was sent before a restart gets its
        # chance to arrive first.
        super().__init__("pending-sweeper", settings.sweep_seconds, pause_first=True)
        self._transactions = transactions
        self._queue = queue
        self._settings = settings
        self._content = content

    async def run_once(self) -> tuple[int, int]:
        """One sweep: (items, jobs) re-sent."""
        return await sweep_overdue(
            self._transactions, self._queue, self._settings, content=self._content
        )

    async def _cycle(self) -> bool:
        await self.run_once()
        # A sweep never asks to run again at once: what it re-sent needs time to be taken.
        return False

    def _cycle_failed(self, error: Exception, failures: int) -> float | None:
        log.warning("sweep.failed", failures=failures, exc_info=error)
        return None
