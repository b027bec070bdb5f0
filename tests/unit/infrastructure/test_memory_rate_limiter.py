import asyncio

import pytest

from moderation.infrastructure.rate_limit import MemoryRateLimiter, RateLimitDecision


class _Clock:
    """A settable clock, so window arithmetic is tested exactly rather than by sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.asyncio
async def test_allows_up_to_the_limit_then_refuses() -> None:
    clock = _Clock()
    limiter = MemoryRateLimiter(clock=clock)
    decisions = [await limiter.hit("k", 3, 10.0) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert decisions[0] == RateLimitDecision(True, 3, 2, 0.0, 10.0)
    assert decisions[3].retry_after == pytest.approx(10.0)
    assert all(d.limit == 3 for d in decisions)


@pytest.mark.asyncio
async def test_window_slides() -> None:
    clock = _Clock()
    limiter = MemoryRateLimiter(clock=clock)
    assert (await limiter.hit("k", 2, 10.0)).allowed
    clock.now += 4.0
    assert (await limiter.hit("k", 2, 10.0)).allowed
    clock.now += 2.0
    refused = await limiter.hit("k", 2, 10.0)
    assert not refused.allowed
    # The first hit leaves the window 4 s from now, the second 8 s from now.
    assert refused.retry_after == pytest.approx(4.0)
    assert refused.reset_after == pytest.approx(8.0)
    clock.now += 4.0
    assert (await limiter.hit("k", 2, 10.0)).allowed
    assert not (await limiter.hit("k", 2, 10.0)).allowed


@pytest.mark.asyncio
async def test_refused_hits_are_not_counted() -> None:
    clock = _Clock()
    limiter = MemoryRateLimiter(clock=clock)
    assert (await limiter.hit("k", 1, 10.0)).allowed
    for _ in range(5):
        clock.now += 1.0
        assert not (await limiter.hit("k", 1, 10.0)).allowed
    clock.now += 5.0
    assert (await limiter.hit("k", 1, 10.0)).allowed


@pytest.mark.asyncio
async def test_keys_are_independent() -> None:
    limiter = MemoryRateLimiter(clock=_Clock())
    assert (await limiter.hit("a", 1, 10.0)).allowed
    assert not (await limiter.hit("a", 1, 10.0)).allowed
    assert (await limiter.hit("b", 1, 10.0)).allowed


@pytest.mark.asyncio
async def test_lowered_limit_waits_for_enough_hits_to_expire() -> None:
    clock = _Clock()
    limiter = MemoryRateLimiter(clock=clock)
    for _ in range(3):
        assert (await limiter.hit("k", 3, 10.0)).allowed
        clock.now += 1.0
    refused = await limiter.hit("k", 1, 10.0)
    assert not refused.allowed
    # Hits at 1000, 1001, 1002; a limit of 1 needs the count below 1, i.e. all three gone.
    assert refused.retry_after == pytest.approx(9.0)


@pytest.mark.asyncio
async def test_idle_keys_are_evicted() -> None:
    clock = _Clock()
    limiter = MemoryRateLimiter(clock=clock)
    for index in range(100):
        await limiter.hit(f"k{index}", 5, 1.0)
    assert len(limiter) == 100
    clock.now += 1.5
    await limiter.hit("fresh", 5, 1.0)
    assert len(limiter) == 1


@pytest.mark.asyncio
async def test_max_keys_bounds_memory() -> None:
    limiter = MemoryRateLimiter(max_keys=10, clock=_Clock())
    for index in range(50):
        await limiter.hit(f"k{index}", 5, 60.0)
    assert len(limiter) == 10
    # The most recently used keys survive, so k49 still remembers its hit.
    assert (await limiter.hit("k49", 5, 60.0)).remaining == 3


@pytest.mark.asyncio
async def test_concurrent_hits_never_exceed_the_limit() -> None:
    limiter = MemoryRateLimiter()
    decisions = await asyncio.gather(*(limiter.hit("k", 7, 60.0) for _ in range(50)))
    assert sum(d.allowed for d in decisions) == 7


@pytest.mark.asyncio
async def test_real_clock_window_slides() -> None:
    limiter = MemoryRateLimiter()
    assert (await limiter.hit("k", 1, 0.05)).allowed
    assert not (await limiter.hit("k", 1, 0.05)).allowed
    await asyncio.sleep(0.08)
    assert (await limiter.hit("k", 1, 0.05)).allowed


@pytest.mark.asyncio
async def test_close_forgets_everything() -> None:
    limiter = MemoryRateLimiter(clock=_Clock())
    await limiter.hit("k", 1, 10.0)
    await limiter.close()
    assert len(limiter) == 0
    assert (await limiter.hit("k", 1, 10.0)).allowed


@pytest.mark.parametrize(("limit", "window"), [(0, 1.0), (1, 0.0), (1, -1.0)])
def test_arguments_are_validated(limit: int, window: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        MemoryRateLimiter().hit_now("k", limit, window)


@pytest.mark.asyncio
async def test_peek_tells_without_counting() -> None:
    clock = _Clock()
    limiter = MemoryRateLimiter(clock=clock)
    fresh = await limiter.peek("k", 2, 10.0)
    for _ in range(5):
        await limiter.peek("k", 2, 10.0)
    assert (await limiter.hit("k", 2, 10.0)).allowed
    clock.now += 3.0
    assert (await limiter.hit("k", 2, 10.0)).allowed
    full = await limiter.peek("k", 2, 10.0)
    clock.now += 7.0
    reopened = await limiter.peek("k", 2, 10.0)

    assert fresh == RateLimitDecision(True, 2, 2, 0.0, 0.0)
    assert (full.allowed, full.remaining) == (False, 0)
    assert full.retry_after == pytest.approx(7.0)
    # Once the first hit has left the window, one more would fit.
    assert (reopened.allowed, reopened.remaining) == (True, 1)
    assert len(limiter) == 1
