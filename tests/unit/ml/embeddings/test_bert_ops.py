"""Tests for the numpy BERT kernels."""

from __future__ import annotations

import numpy as np
from scipy.special import erf

from moderation.ml.embeddings._bert_ops import fast_softmax_, layer_norm, scaled_gelu_, softmax_


class TestBertOps:
    def test_scaled_gelu_matches_exact_erf_gelu(self) -> None:
        x = np.linspace(-12.0, 12.0, 200_001)
        exact = 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))
        h = (x / np.sqrt(2.0) - 0.25).astype(np.float32).reshape(-1, 1)
        got = scaled_gelu_(h, np.full(1, 0.25, np.float32)).ravel().astype(np.float64)
        got /= np.sqrt(2.0)
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

    def test_fast_softmax_matches_row_softmax(self) -> None:
        rng = np.random.default_rng(1)
        scores = (rng.normal(size=(2, 3, 7, 7)) * 8).astype(np.float32)
        scores[..., -2:] += np.float32(-1e9)
        fast = scores.copy()
        assert fast_softmax_(fast)
        np.testing.assert_allclose(fast, softmax_(scores.copy()), atol=1e-6)

    def test_fast_softmax_reports_underflowing_rows(self) -> None:
        scores = np.array([[0.0, 1.0], [-200.0, -201.0]], dtype=np.float32)
        assert not fast_softmax_(scores)
