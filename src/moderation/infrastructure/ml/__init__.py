"""Serving the engine inside the service."""

from moderation.infrastructure.ml.batching_scorer import BatchingScorer

__all__ = ["BatchingScorer"]
