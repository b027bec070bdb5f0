import pytest

from moderation.core.circuit_breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_it_opens_after_the_threshold_and_closes_after_the_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(10.0, threshold=3, clock=clock)
    assert [breaker.failed() for _ in range(3)] == [False, False, True]
    assert breaker.is_open()
    clock.now += 10.0
    assert not breaker.is_open()


def test_a_failed_trial_reopens_it_at_once_and_a_success_resets_it() -> None:
    clock = Clock()
    breaker = CircuitBreaker(5.0, threshold=2, clock=clock)
    breaker.failed()
    breaker.failed()
    clock.now += 5.0
    assert breaker.failed()  # the trial
    assert breaker.is_open()
    breaker.succeeded()
    assert not breaker.is_open()
    assert not breaker.failed()


def test_a_caller_may_give_its_own_time() -> None:
    breaker = CircuitBreaker(60.0)
    assert breaker.failed(now=1_000.0)
    assert breaker.is_open(now=1_059.0)
    assert not breaker.is_open(now=1_060.0)


def test_the_threshold_is_at_least_one() -> None:
    with pytest.raises(ValueError, match="at least one"):
        CircuitBreaker(1.0, threshold=0)
