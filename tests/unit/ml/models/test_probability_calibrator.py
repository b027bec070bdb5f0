import numpy as np
import pytest

from moderation.domain.models import Category
from moderation.ml.models import LinearHeads, ProbabilityCalibrator

CATS = [Category.TOXICITY, Category.SPAM]


def separable(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random((n, 2)) < 0.5).astype(np.float32)
    z = (y * 2 - 1) + rng.normal(0, 1.5, (n, 2))
    return z.astype(np.float32), y


class TestProbabilityCalibrator:
    def test_probabilities_rank_like_scores_and_stay_in_range(self) -> None:
        z, y = separable()
        cal = ProbabilityCalibrator.fit(CATS, [z], y, {})
        p = cal.probabilities(z)
        assert p.min() >= 0.0
        assert p.max() <= 1.0
        assert np.all(np.diff(p[np.argsort(z[:, 0]), 0]) >= -1e-6)

    def test_lower_prior_lowers_probabilities(self) -> None:
        z, y = separable()
        balanced = ProbabilityCalibrator.fit(CATS, [z], y, {}).probabilities(z)
        rare = ProbabilityCalibrator.fit(CATS, [z], y, {Category.TOXICITY: 0.05}).probabilities(z)
        assert rare[:, 0].mean() < balanced[:, 0].mean() - 0.1
        assert rare[:, 1].mean() == pytest.approx(balanced[:, 1].mean(), abs=1e-6)

    def test_unknown_labels_are_ignored(self) -> None:
        z, y = separable()
        y[:200, 0] = np.nan
        cal = ProbabilityCalibrator.fit(CATS, [z], y, {})
        assert cal.coef[0, 0] > 0

    def test_stacks_two_inputs(self) -> None:
        z, y = separable()
        noise = np.random.default_rng(1).normal(size=z.shape).astype(np.float32)
        cal = ProbabilityCalibrator.fit(CATS, [z, noise], y, {})
        assert cal.n_inputs == 2
        assert abs(cal.coef[0, 0]) > abs(cal.coef[0, 1])
        with pytest.raises(ValueError, match="expected 2"):
            cal.probabilities(z)

    def test_single_class_falls_back_to_identity(self) -> None:
        z, _ = separable()
        y = np.zeros_like(z)
        cal = ProbabilityCalibrator.fit(CATS, [z], y, {})
        assert cal.coef[0, 0] == 1.0


class TestLinearHeads:
    def test_logits_and_columns(self) -> None:
        w = np.array([[1.0, 0.0], [0.0, 2.0]], dtype=np.float32)
        heads = LinearHeads(CATS, w, np.array([0.5, -0.5], dtype=np.float32))
        out = heads.logits(np.array([[1.0, 1.0]], dtype=np.float32))
        assert out.tolist() == [[1.5, 1.5]]

    def test_shape_mismatch_is_rejected(self) -> None:
        with pytest.raises(ValueError, match="do not match"):
            LinearHeads(CATS, np.zeros((3, 3), np.float32), np.zeros(2, np.float32))
