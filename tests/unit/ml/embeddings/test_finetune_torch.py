"""The torch side of the fine-tune (training/finetune_minilm.py) on the tiny export.

It runs in .venv-train (scripts/train-env), as a subprocess: the project venv has no torch, so
these tests skip wherever that venv or its torch is missing.
"""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file
from tests.unit.ml.embeddings.tiny_export import write_tiny_export

from moderation.ml.embeddings import FinetunedScorer
from moderation.ml.vocabulary.category import Category

ROOT = Path(__file__).resolve().parents[4]
TRAIN_PYTHON = ROOT / ".venv-train" / "bin" / "python"
PROGRAM = ROOT / "training" / "finetune_minilm.py"
SAMPLES = ROOT / "tests" / "fixtures" / "datasets"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def train_python() -> Path:
    if not TRAIN_PYTHON.is_file():
        pytest.skip("no .venv-train (scripts/train-env)")
    probe = subprocess.run(  # noqa: S603 - fixed argv, our own venv
        [str(TRAIN_PYTHON), "-c", "import torch"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip("torch is not importable in .venv-train")
    return TRAIN_PYTHON


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_export(tmp_path_factory.mktemp("base"))


def _run(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed argv, our own venv
        [str(python), str(PROGRAM), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=600,
    )


class TestFinetuneProgram:
    def test_torch_model_matches_numpy_encoder(self, train_python: Path, base_dir: Path) -> None:
        done = _run(
            train_python, "--check-only", "--base-model", str(base_dir), "--max-tokens", "16"
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "pooled_max_abs_diff" in done.stdout

    def test_export_loads_in_the_numpy_runtime(
        self, train_python: Path, base_dir: Path, tmp_path: Path
    ) -> None:
        out = tmp_path / "out"
        done = _run(
            train_python,
            *("--data", str(SAMPLES), "--base-model", str(base_dir), "--out", str(out)),
            *("--max-tokens", "16", "--max-texts", "64", "--batch-size", "16"),
        )
        assert done.returncode == 0, done.stdout + done.stderr
        base = load_file(str(base_dir / "model.safetensors"))
        tuned = load_file(str(out / "model.safetensors"))
        assert {k: (v.shape, v.dtype) for k, v in tuned.items()} == {
            k: (v.shape, v.dtype) for k, v in base.items()
        }
        changed = [k for k in base if not np.array_equal(base[k], tuned[k])]
        assert "encoder.layer.1.output.dense.weight" in changed
        assert "pooler.dense.weight" not in changed  # unused by the encoder, copied as is
        report = json.loads((out / FinetunedScorer.TRAINING_FILE).read_text())
        assert report["data"]["train"]["texts"] == 64
        assert report["parity"]["after_export"]["probability_max_abs_diff"] < 1e-3
        assert report["peak_rss_mb"] > 0
        got = FinetunedScorer.load(out).probabilities(["you are an idiot", "have a nice day"])
        assert got.shape == (2, len(Category))
        assert ((got >= 0) & (got <= 1)).all()

    def test_frozen_layers_stay_unchanged(
        self, train_python: Path, base_dir: Path, tmp_path: Path
    ) -> None:
        out = tmp_path / "frozen"
        done = _run(
            train_python,
            *("--data", str(SAMPLES), "--base-model", str(base_dir), "--out", str(out)),
            *("--max-tokens", "16", "--max-texts", "32", "--freeze-layers", "1"),
        )
        assert done.returncode == 0, done.stdout + done.stderr
        base = load_file(str(base_dir / "model.safetensors"))
        tuned = load_file(str(out / "model.safetensors"))
        frozen = [k for k in base if k.startswith(("embeddings.", "encoder.layer.0."))]
        assert frozen
        assert all(np.array_equal(base[k], tuned[k]) for k in frozen)
        key = "encoder.layer.1.output.dense.weight"
        assert not np.array_equal(base[key], tuned[key])
