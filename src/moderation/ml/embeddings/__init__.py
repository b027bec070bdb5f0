"""Sentence embeddings computed with numpy only (no torch)."""

from moderation.ml.embeddings.finetuned_packer import FinetunedPacker
from moderation.ml.embeddings.finetuned_scorer import FinetunedScorer
from moderation.ml.embeddings.mini_lm_encoder import MiniLMEncoder

__all__ = ["FinetunedPacker", "FinetunedScorer", "MiniLMEncoder"]
