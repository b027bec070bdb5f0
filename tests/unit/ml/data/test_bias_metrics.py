import math

import numpy as np
import pytest

from moderation.ml.data import bias_metrics, power_mean


class TestBiasMetrics:
    def test_hand_computed_example(self) -> None:
        scores = [0.1, 0.6, 0.7, 0.9, 0.2, 0.8]
        labels = [0, 1, 0, 1, 0, 1]
        groups = ["a", "a", "b", "b", None, None]
        m = bias_metrics(scores, labels, groups)
        assert m["overall_auc"] == pytest.approx(8 / 9)
        assert m["subgroup_auc/a"] == m["subgroup_auc/b"] == 1.0
        assert m["bpsn_auc/a"] == 1.0
        assert m["bpsn_auc/b"] == 0.5
        assert m["bnsp_auc/a"] == 0.5
        assert m["bnsp_auc/b"] == 1.0
        expected_mean = ((1.0**-5 + 0.5**-5) / 2) ** (-1 / 5)
        assert m["mean_bpsn_auc"] == pytest.approx(expected_mean)
        assert m["final_score"] == pytest.approx(0.25 * (8 / 9 + 1.0 + 2 * expected_mean))

    def test_ties_count_half(self) -> None:
        m = bias_metrics(np.array([0.5, 0.5]), np.array([0, 1]), ["a", "a"])
        assert m["overall_auc"] == 0.5

    def test_group_with_one_class_is_nan_and_skipped(self) -> None:
        m = bias_metrics([0.1, 0.9, 0.3], [0, 1, 0], ["a", "a", "b"])
        assert math.isnan(m["subgroup_auc/b"])
        assert m["mean_subgroup_auc"] == 1.0

    def test_power_mean(self) -> None:
        assert power_mean([0.8, 0.8]) == pytest.approx(0.8)
        assert power_mean([0.9, 0.0]) == 0.0
        assert power_mean([0.9, 0.6]) < (0.9 + 0.6) / 2

    def test_length_mismatch_raises(self) -> None:
        with pytest.raises(ValueError, match="same length"):
            bias_metrics([0.1], [0, 1], ["a", "a"])
