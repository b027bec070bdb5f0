from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# VADER's cost grows with length, and a comment's tone shows in its first paragraphs.
_MAX_CHARS = 2000


class SentimentAnalyzer:
    """Overall polarity of a text with VADER (lexicon and rules, tuned on social media).

    `polarity` is VADER's compound score in [-1, 1]: below about -0.05 negative, above about
    0.05 positive. Reported beside the harm scores; it is not a harm score (criticism is
    negative, a friendly insult can be positive).
    """

    def __init__(self) -> None:
        self._vader = SentimentIntensityAnalyzer()

    def polarity(self, text: str) -> float:
        """Compound polarity of `text` in [-1, 1]; 0.0 for empty text."""
        if not text.strip():
            return 0.0
        scores: dict[str, float] = self._vader.polarity_scores(text[:_MAX_CHARS])
        return max(-1.0, min(1.0, float(scores["compound"])))
