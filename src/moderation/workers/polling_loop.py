import abc
import asyncio
import contextlib

import structlog

log = structlog.get_logger(__name__)

# How long `stop` waits for the cycle in flight before cancelling it.
STOP_GRACE_SECONDS = 5.0


class PollingLoop(abc.ABC):
    """A background loop that runs one cycle, then sleeps until woken or the poll interval.

    Subclasses implement `_cycle` (returns True when a full batch was done, so there may be
    more right away) and may shorten the sleep with `_pause`. `stop` lets the cycle in flight
    finish first: cancelling it inside a transaction strands its database connection, which
    is then closed on a dead event loop.
    """

    def __init__(self, name: str, poll_seconds: float) -> None:
        self._name = name
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name=self._name)

    def wake(self) -> None:
        """New work was committed: look now rather than at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            await asyncio.wait({self._task}, timeout=STOP_GRACE_SECONDS)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
            self._stopping = False

    @abc.abstractmethod
    async def _cycle(self) -> bool:
        """One round of work; True when there may be more to do at once."""

    def _pause(self) -> float:
        return self._poll_seconds

    def _cycle_failed(self) -> None:  # noqa: B027 - an optional hook, empty by default
        """Hook: a cycle raised (already logged)."""

    async def _loop(self) -> None:
        while not self._stopping:
            # Cleared before the cycle, so a wake() that arrives during it is not lost.
            self._wake.clear()
            try:
                busy = await self._cycle()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("loop.cycle_failed", loop=self._name)
                self._cycle_failed()
                busy = False
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._pause())
