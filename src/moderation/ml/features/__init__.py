"""Feature extraction for the fast tier."""

from moderation.ml.features.fast_featurizer import FastFeaturizer
from moderation.ml.features.featurizer_config import FeaturizerConfig

__all__ = ["FastFeaturizer", "FeaturizerConfig"]
