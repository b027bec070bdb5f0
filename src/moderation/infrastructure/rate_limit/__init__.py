"""Sliding-window rate limiting, in process or shared through Redis."""

from moderation.infrastructure.rate_limit.memory_rate_limiter import MemoryRateLimiter
from moderation.infrastructure.rate_limit.rate_limit_decision import RateLimitDecision
from moderation.infrastructure.rate_limit.rate_limiter import RateLimiter
from moderation.infrastructure.rate_limit.redis_rate_limiter import RedisRateLimiter

__all__ = ["MemoryRateLimiter", "RateLimitDecision", "RateLimiter", "RedisRateLimiter"]
