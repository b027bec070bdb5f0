"""The one background loop: cycles, wakes, backoff after a failure, recovery, stop."""

import asyncio
from collections.abc import Callable

import pytest
from structlog.testing import capture_logs

from moderation.core.polling_loop import PollingLoop

pytestmark = pytest.mark.asyncio


class _Loop(PollingLoop):
    def __init__(
        self,
        outcomes: list[bool | Exception],
        *,
        poll_seconds: float = 30.0,
        backoff: float | None = None,
        pause_first: bool = False,
    ) -> None:
        super().__init__("test-loop", poll_seconds, pause_first=pause_first)
        self.outcomes = outcomes
        self.cycles = 0
        self.failures: list[int] = []
        self.recovered: list[int] = []
        self._backoff = backoff
        self.ran = asyncio.Event()

    async def _cycle(self) -> bool:
        self.cycles += 1
        self.ran.set()
        outcome = self.outcomes.pop(0) if self.outcomes else False
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _cycle_failed(self, error: Exception, failures: int) -> float | None:  # noqa: ARG002
        self.failures.append(failures)
        return self._backoff

    def _recovered(self, failures: int) -> None:
        self.recovered.append(failures)


async def _until(predicate: Callable[[], bool], timeout: float = 2.0) -> None:
    async def wait() -> None:
        while not predicate():
            await asyncio.sleep(0.005)

    await asyncio.wait_for(wait(), timeout)


async def test_a_busy_cycle_runs_again_at_once_and_an_idle_one_waits_for_a_wake() -> None:
    loop = _Loop([True, True, False])
    loop.start()
    await _until(lambda: loop.cycles == 3)
    await asyncio.sleep(0.05)
    assert loop.cycles == 3, "an idle cycle waits for the poll interval (30 s here)"
    loop.wake()
    await _until(lambda: loop.cycles == 4)
    await loop.stop()


async def test_a_failure_backs_off_ignoring_wakes_then_recovery_is_reported() -> None:
    loop = _Loop([RuntimeError("down"), RuntimeError("down"), False], backoff=0.1)
    loop.start()
    await _until(lambda: loop.failures == [1])
    loop.wake()
    await asyncio.sleep(0.03)
    assert loop.cycles == 1, "a wake does not cut a backoff short"
    await _until(lambda: loop.recovered == [2])
    assert loop.failures == [1, 2]
    assert loop.cycles == 3
    await loop.stop()


async def test_a_failure_without_backoff_waits_the_usual_pause_and_a_wake_ends_it() -> None:
    loop = _Loop([RuntimeError("once")])
    loop.start()
    await _until(lambda: loop.failures == [1])
    loop.wake()
    await _until(lambda: loop.cycles == 2)
    assert loop.recovered == [1]
    await loop.stop()


async def test_stop_ends_a_backoff_and_a_first_pause_without_another_cycle() -> None:
    failing = _Loop([RuntimeError("down")], backoff=60.0)
    failing.start()
    await _until(lambda: failing.cycles == 1)
    await asyncio.wait_for(failing.stop(), 1.0)
    assert failing.cycles == 1

    delayed = _Loop([], pause_first=True)
    delayed.start()
    await asyncio.sleep(0.05)
    assert delayed.cycles == 0, "pause_first waits one interval before the first cycle"
    await asyncio.wait_for(delayed.stop(), 1.0)
    assert delayed.cycles == 0


async def test_a_stopped_loop_can_start_again() -> None:
    loop = _Loop([])
    loop.start()
    await _until(lambda: loop.cycles == 1)
    await loop.stop()
    await asyncio.sleep(0.05)
    assert loop.cycles == 1, "a stopped loop runs no cycle"
    loop.start()
    await _until(lambda: loop.cycles == 2)
    await loop.stop()
    assert loop.cycles == 2
    assert loop.failures == [], "stopping and starting is not a failure"


async def test_the_default_failure_hook_logs_and_keeps_the_loop_alive() -> None:
    class Plain(PollingLoop):
        def __init__(self) -> None:
            super().__init__("plain", 30.0)
            self.cycles = 0

        async def _cycle(self) -> bool:
            self.cycles += 1
            if self.cycles == 1:
                raise ValueError("boom")
            return False

    loop = Plain()
    with capture_logs() as logs:
        loop.start()
        await _until(lambda: loop.cycles == 1)
        loop.wake()
        await _until(lambda: loop.cycles == 2)
        await loop.stop()
    failed = [entry for entry in logs if entry["event"] == "loop.cycle_failed"]
    assert [entry["loop"] for entry in failed] == ["plain"]
    assert isinstance(failed[0]["exc_info"], ValueError)
    assert loop.cycles == 2, "the loop went on after the failure"
