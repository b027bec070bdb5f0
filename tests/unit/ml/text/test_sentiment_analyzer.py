from moderation.ml.text import SentimentAnalyzer


class TestSentimentAnalyzer:
    def test_polarity_sign_and_range(self) -> None:
        analyzer = SentimentAnalyzer()
        positive = analyzer.polarity("I love this, what a great and helpful answer!")
        negative = analyzer.polarity("You are a horrible, disgusting and stupid person.")
        neutral = analyzer.polarity("The meeting starts at five.")
        assert 0.5 < positive <= 1.0
        assert -1.0 <= negative < -0.5
        assert abs(neutral) < 0.05

    def test_empty_text_is_neutral(self) -> None:
        assert SentimentAnalyzer().polarity("   ") == 0.0
