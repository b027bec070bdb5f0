import re

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# VADER's cost grows with length, and a comment's tone shows in its first paragraphs.
_MAX_CHARS = 2000
# Sentence ends: VADER is built for sentences (its authors average per-sentence scores for
# longer texts), and its negation and "but" checks are quadratic in the words it is given.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


class SentimentAnalyzer:
    """Overall polarity of a text with VADER (lexicon and rules, tuned on social media).

    `polarity` is VADER's compound score in [-1, 1]: below about -0.05 negative, above about
    0.05 positive; for several sentences, the mean of their scores. Reported beside the harm
    scores; it is not a harm score (criticism is negative, a friendly insult can be positive).
    """

    def __init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()

    def polarity(self, text: str) -> float:
        """Compound polarity of `text` in [-1, 1]; 0.0 for empty text."""
        sentences = [s for s in _SENTENCE_END.split(text[:_MAX_CHARS]) if s.strip()]
        if not sentences:
            return 0.0
        compounds = [float(self._vader.polarity_scores(s)["compound"]) for s in sentences]
        return max(-1.0, min(1.0, sum(compounds) / len(compounds)))
