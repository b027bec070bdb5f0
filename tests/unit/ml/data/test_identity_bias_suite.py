from collections import Counter

import numpy as np

from moderation.ml.data import IdentityBiasSuite


class TestIdentityBiasSuite:
    def test_each_group_has_the_same_balanced_frames(self) -> None:
        suite = IdentityBiasSuite()
        per_group = Counter((case.group, case.label) for case in suite)
        groups = {case.group for case in suite}
        assert len(groups) >= 15
        assert len(set(per_group.values())) == 1
        assert all(per_group[(g, 0)] > 0 and per_group[(g, 1)] > 0 for g in groups)

    def test_perfect_scores_give_perfect_metrics(self) -> None:
        suite = IdentityBiasSuite()
        metrics = suite.evaluate(suite.labels().astype(float))
        assert metrics["final_score"] == 1.0

    def test_identity_term_bias_lowers_bpsn(self) -> None:
        suite = IdentityBiasSuite()
        scores = suite.labels() * 0.5 + np.array(
            [0.6 if g == "gay" else 0.0 for g in suite.groups()]
        )
        metrics = suite.evaluate(scores)
        assert metrics["bpsn_auc/gay"] < 0.5
        assert metrics["bpsn_auc/women"] == 1.0
        assert metrics["mean_bpsn_auc"] < 0.9
