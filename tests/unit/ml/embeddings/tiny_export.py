"""A tiny fine-tuned scorer export (2 layers, hidden 32, 40-word vocabulary) built with numpy.

Same files and tensor names as training/finetune_minilm.py writes, so tests exercise the real
loading path without torch, the 90 MB weights or the shared data.
"""

import json
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from moderation.ml.vocabulary.category import Category

HIDDEN = 32
LAYERS = 2
HEADS = 4
INNER = 64
POSITIONS = 64
WORDS = (
    "you are an idiot i will hurt the buy cheap pills now click here hello friend have a nice "
    "day this is great stupid shut up kill all go away thanks for sharing love it"
).split()
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _tokenizer() -> Tokenizer:
    vocab = {token: i for i, token in enumerate([*SPECIALS, *WORDS, "##s", "##ing"])}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    return tokenizer


def _tensors(vocab: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.2).astype(np.float32)

    def gain() -> np.ndarray:
        return (1.0 + rng.standard_normal(HIDDEN) * 0.05).astype(np.float32)

    t: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": w(vocab, HIDDEN),
        "embeddings.position_embeddings.weight": w(POSITIONS, HIDDEN),
        "embeddings.token_type_embeddings.weight": w(2, HIDDEN),
        "embeddings.LayerNorm.weight": gain(),
        "embeddings.LayerNorm.bias": w(HIDDEN),
        "embeddings.position_ids": np.arange(POSITIONS, dtype=np.int64)[None, :],
        "pooler.dense.weight": w(HIDDEN, HIDDEN),
        "pooler.dense.bias": w(HIDDEN),
    }
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        for name in ("query", "key", "value"):
            t[f"{p}attention.self.{name}.weight"] = w(HIDDEN, HIDDEN)
            t[f"{p}attention.self.{name}.bias"] = w(HIDDEN)
        t[f"{p}attention.output.dense.weight"] = w(HIDDEN, HIDDEN)
        t[f"{p}attention.output.dense.bias"] = w(HIDDEN)
        t[f"{p}attention.output.LayerNorm.weight"] = gain()
        t[f"{p}attention.output.LayerNorm.bias"] = w(HIDDEN)
        t[f"{p}intermediate.dense.weight"] = w(INNER, HIDDEN)
        t[f"{p}intermediate.dense.bias"] = w(INNER)
        t[f"{p}output.dense.weight"] = w(HIDDEN, INNER)
        t[f"{p}output.dense.bias"] = w(HIDDEN)
        t[f"{p}output.LayerNorm.weight"] = gain()
        t[f"{p}output.LayerNorm.bias"] = w(HIDDEN)
    return t


def write_tiny_export(directory: Path, seed: int = 0, max_tokens: int = 16) -> Path:
    """Write a random but valid export into ``directory`` (created) and return it."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = _tokenizer()
    tokenizer.save(str(directory / "tokenizer.json"))
    vocab = tokenizer.get_vocab_size()
    config = {
        "architectures": ["BertModel"],
        "hidden_act": "gelu",
        "hidden_size": HIDDEN,
        "intermediate_size": INNER,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": POSITIONS,
        "model_type": "bert",
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "type_vocab_size": 2,
        "vocab_size": vocab,
    }
    (directory / "config.json").write_text(json.dumps(config), encoding="utf-8")
    save_file(_tensors(vocab, rng), str(directory / "model.safetensors"), {"format": "pt"})
    categories = [c.value for c in Category]
    np.savez_compressed(
        directory / "heads.npz",
        weights=(rng.standard_normal((HIDDEN, len(categories))) * 0.5).astype(np.float32),
        bias=(rng.standard_normal(len(categories)) * 0.5).astype(np.float32),
    )
    spec = {
        "format": 1,
        "categories": categories,
        "max_tokens": max_tokens,
        "pooling": "mean",
        "normalize": False,
        "input": "TextNormalizer.normalize_for_features",
    }
    (directory / "scorer.json").write_text(json.dumps(spec), encoding="utf-8")
    (directory / "training.json").write_text(json.dumps({"note": "test fixture"}), "utf-8")
    return directory
