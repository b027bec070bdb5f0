"""Classifier heads and calibration."""

from moderation.ml.models.linear_heads import LinearHeads
from moderation.ml.models.probability_calibrator import ProbabilityCalibrator

__all__ = ["LinearHeads", "ProbabilityCalibrator"]
