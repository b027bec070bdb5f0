"""Serving the engine inside the service."""

from moderation.infrastructure.ml.batching_scorer import BatchingScorer
from moderation.infrastructure.ml.blocking_engine import BlockingEngine
from moderation.infrastructure.ml.engine_process import EngineProcess

__all__ = ["BatchingScorer", "BlockingEngine", "EngineProcess"]
