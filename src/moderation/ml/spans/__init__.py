"""Toxic character-span tagging: which parts of a harmful text reviewers should see."""

from moderation.ml.spans.char_ranges import offsets_to_ranges, ranges_to_offsets
from moderation.ml.spans.lexicon_span_baseline import LexiconSpanBaseline
from moderation.ml.spans.span_f1 import mean_span_f1, span_f1
from moderation.ml.spans.span_tagger import SpanTagger
from moderation.ml.spans.token_featurizer import TokenFeaturizer
from moderation.ml.spans.token_score import TokenScore

__all__ = [
    "LexiconSpanBaseline",
    "SpanTagger",
    "TokenFeaturizer",
    "TokenScore",
    "mean_span_f1",
    "offsets_to_ranges",
    "ranges_to_offsets",
    "span_f1",
]
