"""CoalescingTrigger: bursts of fires become few sends, and the last fire is never dropped."""

import asyncio

import pytest

from moderation.workers import CoalescingTrigger

pytestmark = pytest.mark.asyncio


class _Sends:
    def __init__(self, *, fail: bool = False, duration: float = 0.0) -> None:
        self.times: list[float] = []
        self._fail = fail
        self._duration = duration

    async def __call__(self) -> None:
        self.times.append(asyncio.get_running_loop().time())
        await asyncio.sleep(self._duration)
        if self._fail:
            raise RuntimeError("broker down")


async def test_a_burst_of_fires_sends_once_now_and_once_after_the_interval() -> None:
    sends = _Sends()
    trigger = CoalescingTrigger(sends, 0.2)
    trigger.fire()
    await asyncio.sleep(0.01)
    for _ in range(50):
        trigger.fire()
    await asyncio.sleep(0.35)

    assert len(sends.times) == 2
    assert sends.times[1] - sends.times[0] >= 0.19


async def test_a_single_fire_sends_at_once_and_only_once() -> None:
    sends = _Sends()
    trigger = CoalescingTrigger(sends, 0.2)
    trigger.fire()
    await asyncio.sleep(0.3)

    assert len(sends.times) == 1


async def test_a_fire_during_a_send_is_followed_by_another_send() -> None:
    sends = _Sends(duration=0.05)
    trigger = CoalescingTrigger(sends, 0.0)
    trigger.fire()
    await asyncio.sleep(0.02)  # the first send is running
    trigger.fire()
    await asyncio.sleep(0.2)

    assert len(sends.times) == 2


async def test_a_failed_send_is_swallowed_and_later_fires_still_send() -> None:
    sends = _Sends(fail=True)
    trigger = CoalescingTrigger(sends, 0.0)
    trigger.fire()
    await asyncio.sleep(0.02)
    trigger.fire()
    await asyncio.sleep(0.02)

    assert len(sends.times) == 2


async def test_close_cancels_a_waiting_send() -> None:
    sends = _Sends()
    trigger = CoalescingTrigger(sends, 10.0)
    trigger.fire()
    await asyncio.sleep(0.01)
    trigger.fire()  # waits ~10 s for its turn
    await asyncio.sleep(0.01)
    await trigger.close()

    assert len(sends.times) == 1
