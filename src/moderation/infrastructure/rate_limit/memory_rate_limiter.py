import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from moderation.infrastructure.rate_limit.rate_limit_decision import RateLimitDecision


class _Window:
    __slots__ = ("hits", "window")

    def __init__(self, window: float) -> None:
        self.window = window
        self.hits: deque[float] = deque()

    def idle_at(self, now: float) -> bool:
        return not self.hits or self.hits[-1] + self.window <= now


class MemoryRateLimiter:
    """An in-process sliding-window-log limiter: exact, but per replica.

    Each key keeps the timestamps of its counted requests from the last window, so its memory is
    bounded by its limit; keys are kept least-recently-used first, idle ones are evicted as new
    requests arrive, and beyond ``max_keys`` the least recently used key is forgotten (which can
    only be lenient to that key, never wrongly refuse anyone).
    """

    def __init__(
        self,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_keys < 1:
            msg = "max_keys must be at least 1"
            raise ValueError(msg)
        self._max_keys = max_keys
        self._clock = clock
        self._windows: OrderedDict[str, _Window] = OrderedDict()
        # hit() never awaits, so it is already atomic on one event loop; the lock also makes it
        # safe when called from worker threads or several loops.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """The number of keys currently tracked."""
        return len(self._windows)

    async def hit(self, key: str, limit: int, window_seconds: float = 60.0) -> RateLimitDecision:
        """Count one request for ``key`` if it fits ``limit`` per ``window_seconds``."""
        return self.hit_now(key, limit, window_seconds)

    def hit_now(self, key: str, limit: int, window_seconds: float = 60.0) -> RateLimitDecision:
        """Synchronous `hit`, for callers that are not coroutines."""
        _check_arguments(limit, window_seconds)
        with self._lock:
            now = self._clock()
            self._evict_idle(now)
            state = self._windows.get(key)
            if state is None:
                state = self._windows[key] = _Window(window_seconds)
                while len(self._windows) > self._max_keys:
                    self._windows.popitem(last=False)
            else:
                self._windows.move_to_end(key)
                state.window = window_seconds
            return _count(state, now, limit, window_seconds)

    async def peek(self, key: str, limit: int, window_seconds: float = 60.0) -> RateLimitDecision:
        """Whether one more request for ``key`` would fit; counts nothing."""
        _check_arguments(limit, window_seconds)
        with self._lock:
            now = self._clock()
            state = self._windows.get(key)
            if state is None:
                return _decision(deque(), now, limit, window_seconds)
            _expire(state.hits, now, window_seconds)
            return _decision(state.hits, now, limit, window_seconds)

    async def close(self) -> None:
        """Forget every key."""
        with self._lock:
            self._windows.clear()

    def _evict_idle(self, now: float) -> None:
        # The front is the least recently used key; stopping at the first live one keeps eviction
        # amortised O(1). A live key with a long window can shelter idle ones behind it for a
        # while, which max_keys bounds.
        while self._windows:
            oldest = next(iter(self._windows.values()))
            if not oldest.idle_at(now):
                return
            self._windows.popitem(last=False)


def _check_arguments(limit: int, window_seconds: float) -> None:
    if limit < 1:
        msg = "limit must be at least 1"
        raise ValueError(msg)
    if window_seconds <= 0:
        msg = "window_seconds must be positive"
        raise ValueError(msg)


def _expire(hits: deque[float], now: float, window: float) -> None:
    cutoff = now - window
    while hits and hits[0] <= cutoff:
        hits.popleft()


def _count(state: _Window, now: float, limit: int, window: float) -> RateLimitDecision:
    hits = state.hits
    _expire(hits, now, window)
    if len(hits) < limit:
        hits.append(now)
        return RateLimitDecision(
            allowed=True,
            limit=limit,
            remaining=limit - len(hits),
            retry_after=0.0,
            reset_after=window,
        )
    return _refusal(hits, now, limit, window)


def _decision(hits: deque[float], now: float, limit: int, window: float) -> RateLimitDecision:
    """What `_count` would answer, without counting (the hits are already expired)."""
    if len(hits) < limit:
        reset = hits[-1] + window - now if hits else 0.0
        return RateLimitDecision(
            allowed=True,
            limit=limit,
            remaining=limit - len(hits),
            retry_after=0.0,
            reset_after=max(reset, 0.0),
        )
    return _refusal(hits, now, limit, window)


def _refusal(hits: deque[float], now: float, limit: int, window: float) -> RateLimitDecision:
    # The log can hold more than `limit` if the limit was lowered; one more request fits once
    # enough of the oldest have left for the count to drop below the limit.
    freeing = hits[len(hits) - limit]
    return RateLimitDecision(
        allowed=False,
        limit=limit,
        remaining=0,
        retry_after=max(freeing + window - now, 0.0),
        reset_after=max(hits[-1] + window - now, 0.0),
    )
