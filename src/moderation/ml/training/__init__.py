"""Training and documenting model bundles."""

from moderation.ml.training.model_card_writer import ModelCardWriter
from moderation.ml.training.trainer import Trainer
from moderation.ml.training.training_config import DEFAULT_PRIORS, TrainingConfig

__all__ = ["DEFAULT_PRIORS", "ModelCardWriter", "Trainer", "TrainingConfig"]
