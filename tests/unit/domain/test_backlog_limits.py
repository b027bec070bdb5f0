import pytest

from moderation.core.exceptions import RateLimitedError, ServiceUnavailableError
from moderation.domain.models import BacklogLimits


def test_the_tenant_bound_is_its_share_of_the_global_one() -> None:
    assert BacklogLimits.of(200_000, 0.25) == BacklogLimits(total=200_000, per_tenant=50_000)
    assert BacklogLimits.of(4, 1.0) == BacklogLimits(total=4, per_tenant=4)
    # A share too small for one item still admits one: a tenant is never locked out entirely.
    assert BacklogLimits.of(3, 0.1) == BacklogLimits(total=3, per_tenant=1)
    assert BacklogLimits.of(0, 0.25) == BacklogLimits(total=0, per_tenant=0)


def test_room_is_what_the_tighter_bound_leaves() -> None:
    limits = BacklogLimits.of(100, 0.2)
    assert limits.room(total_pending=0, tenant_pending=0) == 20
    assert limits.room(total_pending=95, tenant_pending=0) == 5
    assert limits.room(total_pending=50, tenant_pending=25) == 0
    assert BacklogLimits.of(0, 0.5).room(10**9, 10**9) is None


def test_check_refuses_the_tenant_with_429_and_everyone_with_503() -> None:
    limits = BacklogLimits.of(10, 0.5)
    limits.check(total_pending=9, tenant_pending=4)
    with pytest.raises(RateLimitedError) as tenant_full:
        limits.check(total_pending=5, tenant_pending=5)
    assert tenant_full.value.headers["Retry-After"] == "30"
    with pytest.raises(ServiceUnavailableError):
        limits.check(total_pending=10, tenant_pending=0)
    BacklogLimits.of(0, 0.5).check(10**9, 10**9)
