import abc
import asyncio
import contextlib

import structlog

log = structlog.get_logger(__name__)

# How long `stop` waits for the cycle in flight before cancelling it.
STOP_GRACE_SECONDS = 5.0


class PollingLoop(abc.ABC):
    """The one background loop of the service (auto-moderation worker, webhook delivery,
    outbox relay, sweeper): it runs one cycle, then sleeps until woken or the poll interval.

    Subclasses implement `_cycle` (True when a full batch was done, so there may be more right
    away) and may shorten the sleep with `_pause`. A cycle that raises is handed to
    `_cycle_failed`, which may ask for a backoff that wakes do not cut short (a loop whose
    broker is down must not retry on every commit); `_recovered` follows the next success.
    `stop` lets the cycle in flight finish first: cancelling it inside a transaction strands
    its database connection, which is then closed on a dead event loop.
    """

    def __init__(self, name: str, poll_seconds: float, *, pause_first: bool = False) -> None:
        self._name = name
        self._poll_seconds = poll_seconds
        self._pause_first = pause_first
        self._wake = asyncio.Event()
        self._stopped = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._stopped.clear()
            self._task = asyncio.create_task(self._loop(), name=self._name)

    def wake(self) -> None:
        """New work was committed: look now rather than at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._stopped.set()
            self._wake.set()
            await asyncio.wait({self._task}, timeout=STOP_GRACE_SECONDS)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @abc.abstractmethod
    async def _cycle(self) -> bool:
        """One round of work; True when there may be more to do at once."""

    def _pause(self) -> float:
        return self._poll_seconds

    def _cycle_failed(self, error: Exception, failures: int) -> float | None:
        """A cycle raised (`failures` in a row): log it; return a backoff in seconds, or None
        to wait the usual pause."""
        del failures
        log.error("loop.cycle_failed", loop=self._name, exc_info=error)
        return None

    def _recovered(self, failures: int) -> None:  # noqa: B027 - an optional hook
        """A cycle succeeded after `failures` failed ones."""

    async def _loop(self) -> None:
        failures = 0
        if self._pause_first:
            await self._rest(self._pause())
        while not self._stopped.is_set():
            # Cleared before the cycle, so a wake() that arrives during it is not lost.
            self._wake.clear()
            try:
                busy = await self._cycle()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                failures += 1
                backoff = self._cycle_failed(error, failures)
                if backoff is not None:
                    await self._rest(backoff)
                    continue
                busy = False
            else:
                if failures:
                    self._recovered(failures)
                    failures = 0
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._pause())

    async def _rest(self, seconds: float) -> None:
        # Only stop() cuts this short.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), seconds)
