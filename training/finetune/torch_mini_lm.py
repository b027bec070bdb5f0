"""MiniLM-L6 (a 6-layer BERT) in torch with the same math as the numpy MiniLMEncoder.

Module names mirror Hugging Face's BertModel, so ``state_dict()`` keys are exactly the tensor
names of ``model.safetensors``: weights load with a strict key check and export back into the
file the numpy encoder reads with no renaming.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import nn

# Same additive mask as the numpy encoder: exp(-1e9 - max) is exactly 0 in float32.
_MASK_BIAS = -1e9
# Tensors of model.safetensors the sentence encoder never uses; export copies them unchanged.
UNUSED_KEYS = ("embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias")


class _Embeddings(nn.Module):
    def __init__(self, vocab: int, positions: int, types: int, hidden: int, eps: float) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.token_type_embeddings = nn.Embedding(types, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)


class _SelfAttention(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)


class _DenseNorm(nn.Module):
    def __init__(self, d_in: int, hidden: int, eps: float) -> None:
        super().__init__()
        self.dense = nn.Linear(d_in, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)


class _Attention(nn.Module):
    def __init__(self, hidden: int, eps: float) -> None:
        super().__init__()
        # "self" is BertModel's name for this submodule; the key names depend on it.
        self.self = _SelfAttention(hidden)
        self.output = _DenseNorm(hidden, hidden, eps)


class _Intermediate(nn.Module):
    def __init__(self, hidden: int, inner: int) -> None:
        super().__init__()
        self.dense = nn.Linear(hidden, inner)


class _Layer(nn.Module):
    def __init__(self, hidden: int, inner: int, heads: int, eps: float, dropout: float) -> None:
        super().__init__()
        self.attention = _Attention(hidden, eps)
        self.intermediate = _Intermediate(hidden, inner)
        self.output = _DenseNorm(inner, hidden, eps)
        self._heads = heads
        self._dropout = dropout

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        batch, seq, hidden = x.shape
        att = self.attention.self

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, seq, self._heads, hidden // self._heads).transpose(1, 2)

        p = self._dropout if self.training else 0.0
        context = F.scaled_dot_product_attention(
            split(att.query(x)), split(att.key(x)), split(att.value(x)), mask_bias, p
        )
        context = context.transpose(1, 2).reshape(batch, seq, hidden)
        out = self.attention.output
        x = out.LayerNorm(F.dropout(out.dense(context), p, self.training) + x)
        # Exact (erf) GELU, as in BertModel; the numpy kernel approximates erf to 1.5e-7.
        inner = F.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(F.dropout(self.output.dense(inner), p, self.training) + x)


class _Encoder(nn.Module):
    def __init__(self, layers: list[_Layer]) -> None:
        super().__init__()
        self.layer = nn.ModuleList(layers)


class TorchMiniLM(nn.Module):
    """BERT encoder with attention-masked mean pooling (no L2 normalisation: heads fine-tuned
    end to end train on the raw pooled vector)."""

    def __init__(self, config: dict[str, Any], dropout: float = 0.1) -> None:
        super().__init__()
        hidden = int(config["hidden_size"])
        eps = float(config.get("layer_norm_eps", 1e-12))
        self.config = dict(config)
        self.hidden = hidden
        self.embeddings = _Embeddings(
            int(config["vocab_size"]),
            int(config["max_position_embeddings"]),
            int(config["type_vocab_size"]),
            hidden,
            eps,
        )
        heads = int(config["num_attention_heads"])
        inner = int(config["intermediate_size"])
        self.encoder = _Encoder(
            [
                _Layer(hidden, inner, heads, eps, dropout)
                for _ in range(int(config["num_hidden_layers"]))
            ]
        )
        self._dropout = dropout

    @classmethod
    def from_pretrained(cls, model_dir: Path, dropout: float = 0.1) -> TorchMiniLM:
        """Build from a folder with ``config.json`` and ``model.safetensors`` (strict keys)."""
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported activation {config['hidden_act']!r}")
        model = cls(config, dropout)
        weights = load_file(str(model_dir / "model.safetensors"))
        used = {k: v for k, v in weights.items() if k not in UNUSED_KEYS}
        model.load_state_dict(used, strict=True)
        return model

    def freeze(self, layers: int, embeddings: bool = False) -> None:
        """Freeze the embeddings and the first ``layers`` transformer layers (0: train all);
        ``embeddings`` freezes the embeddings alone too, so an export differs from the base
        model only in its layers (the bundle then ships just those)."""
        if layers > len(self.encoder.layer):
            raise ValueError(f"only {len(self.encoder.layer)} layers to freeze, got {layers}")
        if layers <= 0 and not embeddings:
            return
        for param in self.embeddings.parameters():
            param.requires_grad_(False)
        for layer in self.encoder.layer[:layers]:
            for param in layer.parameters():
                param.requires_grad_(False)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``(batch, hidden)`` mean of the last hidden states over the real tokens."""
        seq = ids.shape[1]
        emb = self.embeddings
        x = emb.word_embeddings(ids) + (
            emb.position_embeddings.weight[:seq] + emb.token_type_embeddings.weight[0]
        )
        x = F.dropout(emb.LayerNorm(x), self._dropout, self.training)
        bias = torch.zeros(mask.shape, dtype=x.dtype).masked_fill(~mask, _MASK_BIAS)
        bias = bias[:, None, None, :]
        for layer in self.encoder.layer:
            x = layer(x, bias)
        weights = mask.to(x.dtype)
        weights = weights / weights.sum(dim=1, keepdim=True)
        return torch.einsum("bl,blh->bh", weights, x)

    def export_tensors(self, base_file: Path) -> dict[str, torch.Tensor]:
        """All tensors of ``base_file`` (same names, shapes, dtypes) with the fine-tuned ones
        in place of the originals: the file the numpy encoder reads, only retrained."""
        base = load_file(str(base_file))
        mine = {k: v.detach().contiguous().clone() for k, v in self.state_dict().items()}
        out: dict[str, torch.Tensor] = {}
        for key, tensor in base.items():
            new = mine.pop(key, None)
            if new is None:
                if key not in UNUSED_KEYS:
                    raise KeyError(f"{key} of {base_file} has no fine-tuned counterpart")
                out[key] = tensor
                continue
            if new.shape != tensor.shape or new.dtype != tensor.dtype:
                raise ValueError(f"{key}: {tuple(new.shape)} {new.dtype} != base {tensor.dtype}")
            out[key] = new
        if mine:
            raise KeyError(f"tensors not in the base layout: {sorted(mine)}")
        return out
