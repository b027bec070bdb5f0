"""Tests for the numpy BERT kernels."""

from __future__ import annotations

import numpy as np
from scipy.special import erf

from moderation.ml.embeddings._bert_ops import layer_norm, scaled_gelu_, softmax_


class TestBertOps:
    def test_scaled_gelu_matches_exact_erf_gelu(self) -> None:
        x = np.linspace(-12.0, 12.0, 200_001)
        exact = 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
        h = (x / np.sqrt(2.0)).astype(np.float32).reshape(-1, 1)
        got = scaled_gelu_(h).ravel().astype(np.float64) / np.sqrt(2.0)
        assert np.abs(got - exact).max() < 2e-6

    def test_layer_norm_matches_definition(self) -> None:
        rng = np.random.default_rng(0)
        x = rng.normal(3.0, 2.0, size=(5, 384)).astype(np.float32)
        gamma = rng.normal(size=384).astype(np.float32)
        beta = rng.normal(size=384).astype(np.float32)
        x64 = x.astype(np.float64)
        expected = (x64 - x64.mean(1, keepdims=True)) / np.sqrt(x64.var(1, keepdims=True) + 1e-12)
        got = layer_norm(x.copy(), gamma, beta, 1e-12)
        np.testing.assert_allclose(got, expected * gamma + beta, atol=1e-4)

    def test_softmax_rows_sum_to_one_and_ignore_masked(self) -> None:
        scores = np.array([[[1.0, 2.0, -1e9], [500.0, 0.0, -1e9]]], dtype=np.float32)
        got = softmax_(scores.copy())
        np.testing.assert_allclose(got.sum(-1), 1.0, atol=1e-6)
        assert got[0, 0, 2] == 0.0
        np.testing.assert_allclose(got[0, 0, :2], np.exp([1, 2]) / np.exp([1, 2]).sum(), rtol=1e-6)
        assert np.isfinite(got).all()
