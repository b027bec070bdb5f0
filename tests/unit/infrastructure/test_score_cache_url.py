import pytest

from moderation.infrastructure.cache.redis_client import score_cache_url


@pytest.mark.parametrize(
    ("redis_url", "broker_url", "expected"),
    [
        # Off the broker's database, by default, whichever way the index is spelled.
        ("redis://r:6379/0", "redis://r:6379/0", "redis://r:6379/1"),
        ("redis://r:6379", "redis://r:6379/0", "redis://r:6379/1"),
        ("redis://:pw@r:6379/3", "redis://:pw@r:6379/?db=3", "redis://:pw@r:6379/4"),
        ("rediss://r:6380/15", "rediss://r:6380/15", "rediss://r:6380/0"),
        (
            "unix:///run/redis.sock?db=2",
            "unix:///run/redis.sock?db=2",
            "unix:///run/redis.sock?db=3",
        ),
        # Already apart: redis_url as it is.
        ("redis://r:6379/0", "redis://r:6379/1", "redis://r:6379/0"),
        ("redis://r:6379/0", "amqp://u:p@rabbit:5672//", "redis://r:6379/0"),
        ("redis://r:6379/0", None, "redis://r:6379/0"),
    ],
)
def test_the_cache_database_is_never_the_brokers_by_default(
    redis_url: str, broker_url: str | None, expected: str
) -> None:
    assert score_cache_url(redis_url, broker_url, None) == expected


def test_an_explicit_database_wins() -> None:
    assert score_cache_url("redis://r:6379/0?ssl_cert_reqs=none", None, 7) == (
        "redis://r:6379/7?ssl_cert_reqs=none"
    )
    assert score_cache_url("redis://r/0", "redis://r/0", 0) == "redis://r/0"
