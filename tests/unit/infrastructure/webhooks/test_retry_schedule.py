from datetime import UTC, datetime, timedelta

import pytest

from moderation.infrastructure.webhooks import RetrySchedule

CREATED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_the_default_delays_double_from_30_seconds_up_to_an_hour() -> None:
    schedule = RetrySchedule(jitter=0.0)
    delays = [schedule.delay(n) for n in range(1, 11)]
    assert delays[:5] == [30.0, 60.0, 120.0, 240.0, 480.0]
    assert delays[-1] == 3600.0
    assert schedule.delay(500) == 3600.0


def test_jitter_only_shortens_a_delay() -> None:
    schedule = RetrySchedule(jitter=0.2)
    delays = {schedule.delay(3) for _ in range(200)}
    assert all(96.0 <= delay <= 120.0 for delay in delays)
    assert len(delays) > 1


def test_retries_stop_after_the_window_with_a_last_attempt_at_its_end() -> None:
    schedule = RetrySchedule(jitter=0.0)
    late = CREATED + timedelta(hours=23, minutes=50)
    assert schedule.next_attempt(CREATED, late, 20) == CREATED + timedelta(hours=24)
    assert schedule.next_attempt(CREATED, CREATED + timedelta(hours=24), 21) is None
    early = schedule.next_attempt(CREATED, CREATED + timedelta(seconds=5), 1)
    assert early == CREATED + timedelta(seconds=35)


def test_a_day_of_failures_is_about_thirty_attempts() -> None:
    schedule = RetrySchedule(jitter=0.0)
    now, attempts = CREATED, 0
    while True:
        attempts += 1
        retry_at = schedule.next_attempt(CREATED, now, attempts)
        if retry_at is None:
            break
        now = retry_at
    assert 25 <= attempts <= 35


@pytest.mark.parametrize(
    "values",
    [{"base_seconds": 0}, {"window_seconds": -1}, {"jitter": 1.0}, {"max_delay_seconds": 0}],
)
def test_nonsense_schedules_are_refused(values: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"positive|fraction"):
        RetrySchedule(**values)
