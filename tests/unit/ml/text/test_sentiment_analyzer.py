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


class TestSentenceAveraging:
    def test_mixed_sentences_average_out(self) -> None:
        analyzer = SentimentAnalyzer()
        good = analyzer.polarity("The food was wonderful.")
        bad = analyzer.polarity("The service was terrible.")
        both = analyzer.polarity("The food was wonderful. The service was terrible.")
        assert bad < both < good
        assert abs(both - (good + bad) / 2) < 1e-9
