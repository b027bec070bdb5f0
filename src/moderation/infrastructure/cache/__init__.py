"""Redis caches in front of the engine."""

from moderation.infrastructure.cache.score_cache import ScoreCache

__all__ = ["ScoreCache"]
