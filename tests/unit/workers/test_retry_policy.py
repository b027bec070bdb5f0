import pytest

from moderation.core.config import Settings
from moderation.workers import RetryPolicy


def test_delays_grow_exponentially_up_to_the_cap_without_jitter() -> None:
    policy = RetryPolicy(backoff_seconds=2.0, backoff_max_seconds=10.0, jitter=False)
    assert [policy.delay(n) for n in range(5)] == [2.0, 4.0, 8.0, 10.0, 10.0]


@pytest.mark.parametrize("retries", [0, 3, 60])
def test_full_jitter_stays_between_zero_and_the_exponential_ceiling(retries: int) -> None:
    policy = RetryPolicy(backoff_seconds=1.0, backoff_max_seconds=30.0)
    ceiling = min(30.0, 2.0**retries)
    delays = [policy.delay(retries) for _ in range(200)]
    assert all(0.0 <= d <= ceiling for d in delays)
    assert len(set(delays)) > 1  # spread out, not one synchronised retry time


def test_the_policy_follows_the_settings() -> None:
    settings = Settings(
        task_max_retries=7, task_retry_backoff_seconds=3, task_retry_backoff_max_seconds=90
    )
    assert RetryPolicy.from_settings(settings) == RetryPolicy(7, 3.0, 90.0, True)
