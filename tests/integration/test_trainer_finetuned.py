"""`moderation train --finetuned`: the export becomes the bundle's semantic tier."""

from pathlib import Path

import pytest
from safetensors.numpy import load_file
from tests.unit.ml.embeddings.tiny_export import write_tiny_export
from typer.testing import CliRunner

from moderation.cli.app import app
from moderation.ml.artifacts import ModelBundle
from moderation.ml.engine import Engine
from moderation.ml.engine.engine_options import EngineOptions


@pytest.fixture(scope="module")
def bundle_dir(training_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    export = write_tiny_export(tmp_path_factory.mktemp("export"))
    out = tmp_path_factory.mktemp("trained") / "bundle"
    result = CliRunner().invoke(
        app,
        [
            "train",
            "--data-dir",
            str(training_data_dir),
            "--out",
            str(out),
            "--max-per-source",
            "60",
            "--finetuned",
            str(export),
            "--no-spans",
            "--no-evaluate",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_bundle_carries_the_packed_encoder_and_its_stack(bundle_dir: Path) -> None:
    bundle = ModelBundle.load(bundle_dir)
    assert bundle.manifest.has_finetuned_tier
    assert not bundle.manifest.has_semantic_tier
    assert bundle.semantic_heads is None
    assert bundle.stack_calibrator is not None
    assert bundle.stack_calibrator.n_inputs == 2
    tensors = load_file(str(bundle_dir / "finetuned" / "model.safetensors"))
    # The tiny export shares no tensor with the package's MiniLM: everything is kept, halved.
    assert {t.dtype.name for t in tensors.values() if t.dtype.kind == "f"} == {"float16"}


def test_the_trained_bundle_scores_through_its_finetuned_tier(bundle_dir: Path) -> None:
    engine = Engine.load(bundle_dir, options=EngineOptions(semantic="always"))
    results = engine.score(["you are an idiot", "have a nice day"])
    assert [r.tier for r in results] == ["cascade", "cascade"]
    assert all(0.0 <= r.score <= 1.0 for r in results)


def test_models_lists_the_tier_kind(bundle_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODERATION_MODELS_DIR", str(bundle_dir.parent))
    result = CliRunner().invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    assert "fine-tuned" in result.output


def test_model_card_describes_the_finetuned_tier(bundle_dir: Path, training_data_dir: Path) -> None:
    from moderation.ml.training import ModelCardWriter, TrainingConfig

    config = TrainingConfig(
        data_dir=training_data_dir, out_dir=bundle_dir, version="0.0.1", max_per_source=40
    )
    metrics = ModelCardWriter(config).write()
    card = (bundle_dir / "model_card.md").read_text(encoding="utf-8")
    assert "fine-tuned end to end" in card
    assert "--finetuned EXPORT" in card
    assert "stacked_always" in metrics["validation"]
