import asyncio
import time
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger(__name__)


class CoalescingTrigger:
    """Turns a burst of `fire()` calls into at most one `send` per `min_interval_seconds`,
    never dropping the last: every fire is followed by a send that starts after it.

    The API process fires after each outbox relay commit that created webhook deliveries; one
    Celery task per commit (hundreds a second under load) kept every worker thread busy with
    deliveries while moderation tasks waited. A failed send is logged: the periodic sweep sends
    the task again.
    """

    def __init__(
        self,
        send: Callable[[], Awaitable[None]],
        min_interval_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._send = send
        self._interval = min_interval_seconds
        self._clock = clock
        self._last = float("-inf")
        self._task: asyncio.Task[None] | None = None
        self._again = False

    def fire(self) -> None:
        """Ask for a send (call from the event loop)."""
        if self._task is not None and not self._task.done():
            # One is waiting or running; a fire during its send needs another one after it.
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            delay = self._last + self._interval - self._clock()
            if delay > 0:
                await asyncio.sleep(delay)
            self._again = False
            self._last = self._clock()
            try:
                await self._send()
            except Exception:
                log.warning("trigger.send_failed", exc_info=True)
            if not self._again:
                return

    async def close(self) -> None:
        """Cancel a pending send (shutdown)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
