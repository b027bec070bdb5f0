"""Packing a fine-tuned export down to the tensors fine-tuning changed."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file
from tests.unit.ml.embeddings.tiny_export import write_tiny_export

from moderation.ml.embeddings import FinetunedPacker, FinetunedScorer

TEXTS = ["you are an idiot", "have a nice day", "buy cheap pills now click here", ""]
CHANGED = "encoder.layer.1.intermediate.dense.weight"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_export(tmp_path_factory.mktemp("base"))


@pytest.fixture(scope="module")
def tuned(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base with one layer's weights moved, as fine-tuning with frozen embeddings does."""
    target = tmp_path_factory.mktemp("tuned") / "export"
    shutil.copytree(base, target)
    tensors = load_file(str(base / "model.safetensors"))
    tensors[CHANGED] = tensors[CHANGED] + np.float32(0.05)
    save_file(tensors, str(target / "model.safetensors"), {"format": "pt"})
    return target


def test_keeps_only_changed_tensors_in_float16(base: Path, tuned: Path, tmp_path: Path) -> None:
    sizes = FinetunedPacker(base).pack(tuned, tmp_path / "packed")
    kept = load_file(str(tmp_path / "packed" / "model.safetensors"))
    assert list(kept) == [CHANGED]
    assert kept[CHANGED].dtype == np.float16
    assert sizes["tensors_kept"] == 1
    assert sizes["tensors_from_base"] == len(load_file(str(base / "model.safetensors"))) - 1
    spec = json.loads((tmp_path / "packed" / "scorer.json").read_text())
    assert len(spec["base"]["sha256"]) == 64
    assert (tmp_path / "packed" / "training.json").is_file()


def test_packed_scores_match_the_full_export(base: Path, tuned: Path, tmp_path: Path) -> None:
    FinetunedPacker(base).pack(tuned, tmp_path / "packed")
    packed = FinetunedScorer.load(tmp_path / "packed", base_dir=base).probabilities(TEXTS)
    full = FinetunedScorer.load(tuned).probabilities(TEXTS)
    untuned = FinetunedScorer.load(base).probabilities(TEXTS)
    np.testing.assert_allclose(packed, full, atol=2e-3)
    # The changed layer matters: the packed scorer is not just the base again.
    assert np.abs(full - untuned).max() > 1e-2


def test_a_different_base_is_refused(base: Path, tuned: Path, tmp_path: Path) -> None:
    FinetunedPacker(base).pack(tuned, tmp_path / "packed")
    other = write_tiny_export(tmp_path / "other", seed=1)
    with pytest.raises(ValueError, match="packed against base model"):
        FinetunedScorer.load(tmp_path / "packed", base_dir=other)


def test_repacking_replaces_the_target(base: Path, tuned: Path, tmp_path: Path) -> None:
    (tmp_path / "packed").mkdir()
    (tmp_path / "packed" / "stale.bin").write_bytes(b"x")
    FinetunedPacker(base).pack(tuned, tmp_path / "packed")
    assert not (tmp_path / "packed" / "stale.bin").exists()


def test_an_incomplete_export_is_refused_before_writing(base: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(base, broken)
    (broken / "heads.npz").unlink()
    with pytest.raises(FileNotFoundError):
        FinetunedPacker(base).pack(broken, tmp_path / "packed")
    assert not (tmp_path / "packed").exists()
