import pytest

from moderation.core.backoff import Backoff


def test_the_delay_doubles_up_to_its_ceiling() -> None:
    backoff = Backoff(1.0, 10.0, jitter=0.0)
    assert [backoff.delay(n) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_the_exponent_is_bounded() -> None:
    assert Backoff(1.0, 1e300, jitter=0.0, max_exponent=3).delay(100) == 8.0


@pytest.mark.parametrize("jitter", [0.2, 0.5, 1.0])
def test_jitter_only_shortens_a_delay_by_up_to_its_share(jitter: float) -> None:
    backoff = Backoff(4.0, 100.0, jitter=jitter)
    delays = [backoff.delay(2) for _ in range(200)]
    assert all(16.0 * (1.0 - jitter) <= delay <= 16.0 for delay in delays)
    assert len(set(delays)) > 1


def test_jitter_is_a_fraction() -> None:
    with pytest.raises(ValueError, match="jitter"):
        Backoff(1.0, 2.0, jitter=1.5)
