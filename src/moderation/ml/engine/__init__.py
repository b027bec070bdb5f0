"""The moderation engine: fast tier, semantic cascade, rules and explanations."""

from moderation.ml.engine.engine import Engine
from moderation.ml.engine.engine_options import EngineOptions

__all__ = ["Engine", "EngineOptions"]
