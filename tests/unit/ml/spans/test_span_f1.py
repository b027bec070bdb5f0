import pytest

from moderation.ml.spans import mean_span_f1, span_f1


class TestSpanF1:
    def test_exact_match_is_one(self) -> None:
        assert span_f1([3, 4, 5], [5, 4, 3]) == 1.0

    def test_disjoint_is_zero(self) -> None:
        assert span_f1([0, 1], [5, 6]) == 0.0

    def test_partial_overlap(self) -> None:
        # |P|=4, |G|=4, |P&G|=2 -> 2*2/8
        assert span_f1([1, 2, 3, 4], [3, 4, 5, 6]) == pytest.approx(0.5)

    def test_duplicates_count_once(self) -> None:
        assert span_f1([1, 1, 2], [1, 2]) == 1.0

    def test_empty_gold_and_empty_prediction_scores_one(self) -> None:
        assert span_f1([], []) == 1.0

    def test_prediction_on_empty_gold_scores_zero(self) -> None:
        assert span_f1([1], []) == 0.0

    def test_empty_prediction_on_nonempty_gold_scores_zero(self) -> None:
        assert span_f1([], [1]) == 0.0

    def test_mean_averages_per_post(self) -> None:
        assert mean_span_f1([[1], [], [0, 1]], [[1], [2], [1, 2]]) == pytest.approx(
            (1.0 + 0.0 + 0.5) / 3
        )

    def test_mean_of_no_posts_is_zero(self) -> None:
        assert mean_span_f1([], []) == 0.0

    def test_mean_rejects_length_mismatch(self) -> None:
        with pytest.raises(ValueError, match="predictions"):
            mean_span_f1([[1]], [])
