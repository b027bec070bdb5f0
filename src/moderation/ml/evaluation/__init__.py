"""Measuring models: validation ranking, functional and bias suites, user files, and the
out-of-domain protocol (leave-one-source-out against a plain TF-IDF baseline)."""

from moderation.ml.evaluation.engine_scorer import EngineScorer
from moderation.ml.evaluation.fitted_scorer import FittedScorer, ScorerFactory
from moderation.ml.evaluation.labelled_file_evaluator import LabelledFileEvaluator
from moderation.ml.evaluation.model_evaluator import ModelEvaluator
from moderation.ml.evaluation.ood_protocol import OodProtocol
from moderation.ml.evaluation.protocol_report import ProtocolReport
from moderation.ml.evaluation.template_split import TemplateSplit
from moderation.ml.evaluation.text_obfuscator import TextObfuscator
from moderation.ml.evaluation.tfidf_baseline import TfidfBaseline

__all__ = [
    "EngineScorer",
    "FittedScorer",
    "LabelledFileEvaluator",
    "ModelEvaluator",
    "OodProtocol",
    "ProtocolReport",
    "ScorerFactory",
    "TemplateSplit",
    "TextObfuscator",
    "TfidfBaseline",
]
