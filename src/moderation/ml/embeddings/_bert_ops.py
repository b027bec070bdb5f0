"""Numerical kernels for the numpy BERT forward pass (float32, in place where possible)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

F32 = NDArray[np.float32]

# Abramowitz & Stegun 7.1.26: |erf error| <= 1.5e-7, i.e. below float32 rounding of the
# exact form, yet ~4x faster than scipy.special.erf, which evaluates in float64 per element.
_AS_P = np.float32(0.3275911)
_AS_COEFFS = tuple(
    np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)
# Rows per GELU chunk: 64 x 1536 float32 = 384 KiB, so the ~15 elementwise passes hit L2.
_GELU_CHUNK_ROWS = 64
_MIN_ROW_SUM = np.float32(1e-30)


def layer_norm(x: F32, gamma: F32, beta: F32, eps: float) -> F32:
    """LayerNorm over the last axis of a 2-D array, overwriting ``x``; returns ``x``."""
    mean = x.mean(axis=1, keepdims=True)
    x -= mean
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var *= np.float32(1.0 / x.shape[1])
    var += np.float32(eps)
    np.sqrt(var, out=var)
    np.reciprocal(var, out=var)
    x *= var
    x *= gamma
    x += beta
    return x


def _scaled_gelu_block(h: F32, bias: F32) -> None:
    """Replace ``h + bias`` (holding x / sqrt 2) by x * (1 + erf(x / sqrt 2)) / sqrt 2.

    With ``y = x / sqrt 2`` that is ``y + y * erf(y) = y + |y| * erf(|y|)``, so no sign
    handling is needed; the remaining constant factor is folded into the next weight.
    """
    h += bias
    a = np.abs(h)
    t = a * _AS_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    p = t * _AS_COEFFS[0]
    for c in _AS_COEFFS[1:]:
        p += c
        p *= t
    np.square(h, out=t)
    np.negative(t, out=t)
    np.exp(t, out=t)
    p *= t
    p *= a
    h += a
    h -= p


def scaled_gelu_(h: F32, bias: F32) -> F32:
    """In-place ``GELU(h + bias)`` up to a constant factor (see ``_scaled_gelu_block``),
    processed in row blocks that stay cache resident; returns ``h``."""
    for start in range(0, h.shape[0], _GELU_CHUNK_ROWS):
        _scaled_gelu_block(h[start : start + _GELU_CHUNK_ROWS], bias)
    return h


def softmax_(scores: F32) -> F32:
    """Softmax over the last axis, overwriting ``scores``; returns ``scores``."""
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    return scores


def fast_softmax_(scores: F32) -> bool:
    """Softmax over the last axis in place, shifting by the global instead of the row max.

    Row-wise max is a slow short-axis reduction; any per-row shift gives the same result as
    long as no row underflows. Returns False (``scores`` then garbage) when some row's sum
    fell below 1e-30, i.e. its max was ~69 below the global one: recompute with ``softmax_``.
    """
    scores -= scores.max(axis=(-2, -1), keepdims=True)
    np.exp(scores, out=scores)
    seq = scores.shape[-1]
    # Row sums as one BLAS matrix-vector product; faster than a short-axis ufunc reduce.
    sums = scores.reshape(-1, seq) @ np.ones(seq, dtype=np.float32)
    if not sums.min() >= _MIN_ROW_SUM:
        return False
    np.reciprocal(sums, out=sums)
    scores *= sums.reshape(*scores.shape[:-1], 1)
    return True
