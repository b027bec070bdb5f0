"""Redis caches: engine results for identical texts, and content reads."""

from moderation.infrastructure.cache.content_read_cache import ContentReadCache
from moderation.infrastructure.cache.redis_client import connect_redis
from moderation.infrastructure.cache.score_cache import ScoreCache

__all__ = ["ContentReadCache", "ScoreCache", "connect_redis"]
