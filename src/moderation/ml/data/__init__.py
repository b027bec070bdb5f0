"""Training data and evaluation suites.

Dataset loaders with the label mapping to our categories (`DatasetCatalog`, licences in
`SOURCES`), reviewers' decisions as labels (`ReviewerLabels`), the evaluation-only
`FunctionalSuite` and `IdentityBiasSuite` with `bias_metrics`, and the training-only
`HardNegativeGenerator`.
"""

from moderation.ml.data.bias_case import BiasCase
from moderation.ml.data.bias_metrics import bias_metrics, power_mean
from moderation.ml.data.dataset_catalog import DatasetCatalog
from moderation.ml.data.functional_case import FunctionalCase
from moderation.ml.data.functional_suite import FunctionalSuite
from moderation.ml.data.hard_negative_generator import HardNegativeGenerator
from moderation.ml.data.identity_bias_suite import IdentityBiasSuite
from moderation.ml.data.labelled_text import LabelledText
from moderation.ml.data.reviewer_labels import ReviewerLabels
from moderation.ml.data.source_info import SOURCES, SourceInfo

__all__ = [
    "SOURCES",
    "BiasCase",
    "DatasetCatalog",
    "FunctionalCase",
    "FunctionalSuite",
    "HardNegativeGenerator",
    "IdentityBiasSuite",
    "LabelledText",
    "ReviewerLabels",
    "SourceInfo",
    "bias_metrics",
    "power_mean",
]
