"""One padded training batch as torch tensors."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Batch:
    """Rows of one step, padded to the longest; the loss reads labels only where known."""

    ids: torch.Tensor  # (B, L) int64, 0-padded
    mask: torch.Tensor  # (B, L) bool, real tokens
    labels: torch.Tensor  # (B, C) float32, 0 where unknown
    known: torch.Tensor  # (B, C) float32, 1 where the record labels the category
    weight: torch.Tensor  # (B,) float32 record weight
