"""Measuring models: validation ranking, functional and bias suites, user files."""

from moderation.ml.evaluation.labelled_file_evaluator import LabelledFileEvaluator
from moderation.ml.evaluation.model_evaluator import ModelEvaluator

__all__ = ["LabelledFileEvaluator", "ModelEvaluator"]
