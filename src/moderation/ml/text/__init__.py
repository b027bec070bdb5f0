"""Text preprocessing: normalisation with offsets, language detection, sentiment."""

from moderation.ml.text._vocabulary import pick as common_word
from moderation.ml.text.language_detector import LanguageDetector
from moderation.ml.text.normalized_text import NormalizedText
from moderation.ml.text.sentiment_analyzer import SentimentAnalyzer
from moderation.ml.text.text_normalizer import TextNormalizer
from moderation.ml.text.text_splitter import TextSplitter

__all__ = [
    "LanguageDetector",
    "NormalizedText",
    "SentimentAnalyzer",
    "TextNormalizer",
    "TextSplitter",
    "common_word",
]
