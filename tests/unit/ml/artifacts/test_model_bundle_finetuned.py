"""The optional fine-tuned scorer a bundle may carry in finetuned/."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from tests.unit.ml.embeddings.tiny_export import write_tiny_export

from moderation.ml.artifacts import BundleError, ModelBundle, ModelManifest, ModelRegistry
from moderation.ml.embeddings import FinetunedScorer
from moderation.ml.features.featurizer_config import FeaturizerConfig
from moderation.ml.models import LinearHeads, ProbabilityCalibrator
from moderation.ml.vocabulary.category import Category

CATEGORIES = list(Category)


def _bundle(finetuned_dir: Path | None = None) -> ModelBundle:
    config = FeaturizerConfig(word_bits=8, char_bits=8)
    n, k = config.n_features, len(CATEGORIES)
    rng = np.random.default_rng(0)
    return ModelBundle(
        manifest=ModelManifest(version="0.0.1", categories=CATEGORIES, featurizer=config),
        idf=np.ones(n, np.float32),
        fast_heads=LinearHeads(
            CATEGORIES, rng.standard_normal((n, k)).astype(np.float32), np.zeros(k, np.float32)
        ),
        fast_calibrator=ProbabilityCalibrator(
            CATEGORIES, np.ones((k, 1), np.float32), np.zeros(k, np.float32)
        ),
        finetuned_dir=finetuned_dir,
    )


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_export(tmp_path_factory.mktemp("export"))


class TestBundleWithoutFinetuned:
    def test_loads_as_before(self, tmp_path: Path) -> None:
        version = _bundle().save(tmp_path / "plain")
        loaded = ModelBundle.load(tmp_path / "plain")
        assert loaded.manifest.full_version == version
        assert not loaded.manifest.has_finetuned_tier
        assert loaded.finetuned_dir is None
        assert loaded.load_finetuned_scorer() is None
        assert not (tmp_path / "plain" / "finetuned").exists()

    def test_shipped_default_carries_a_finetuned_tier_and_its_hash_holds(self) -> None:
        # load() recomputes the content hash over fast.npz, stack.npz and finetuned/.
        bundle = ModelBundle.load(ModelRegistry().resolve(None))
        assert bundle.finetuned_dir is not None
        assert bundle.manifest.has_finetuned_tier
        assert bundle.stack_calibrator is not None
        assert bundle.manifest.content_hash

    def test_stray_folder_is_ignored_when_the_manifest_does_not_name_it(
        self, tmp_path: Path, export_dir: Path
    ) -> None:
        version = _bundle().save(tmp_path / "plain")
        shutil.copytree(export_dir, tmp_path / "plain" / "finetuned")
        loaded = ModelBundle.load(tmp_path / "plain")
        assert loaded.finetuned_dir is None
        assert loaded.manifest.full_version == version


class TestBundleWithFinetuned:
    def test_save_copies_the_export_and_load_finds_it(
        self, tmp_path: Path, export_dir: Path
    ) -> None:
        plain = _bundle().save(tmp_path / "plain")
        version = _bundle(export_dir).save(tmp_path / "tuned")
        assert version != plain  # the fine-tuned weights are part of the version
        loaded = ModelBundle.load(tmp_path / "tuned")
        assert loaded.manifest.has_finetuned_tier
        assert loaded.finetuned_dir == tmp_path / "tuned" / "finetuned"
        for name in (*FinetunedScorer.REQUIRED_FILES, FinetunedScorer.TRAINING_FILE):
            assert (loaded.finetuned_dir / name).is_file()
        scorer = loaded.load_finetuned_scorer()
        assert scorer is not None
        texts = ["you are an idiot", "have a nice day"]
        np.testing.assert_array_equal(
            scorer.probabilities(texts), FinetunedScorer.load(export_dir).probabilities(texts)
        )

    def test_resave_in_place_keeps_the_version(self, tmp_path: Path, export_dir: Path) -> None:
        version = _bundle(export_dir).save(tmp_path / "tuned")
        loaded = ModelBundle.load(tmp_path / "tuned")
        assert loaded.save(tmp_path / "tuned") == version
        assert ModelBundle.load(tmp_path / "tuned").manifest.full_version == version

    def test_saving_without_it_removes_an_old_copy(self, tmp_path: Path, export_dir: Path) -> None:
        _bundle(export_dir).save(tmp_path / "b")
        _bundle().save(tmp_path / "b")
        assert not (tmp_path / "b" / "finetuned").exists()
        assert ModelBundle.load(tmp_path / "b").finetuned_dir is None

    def test_tampered_encoder_is_detected(self, tmp_path: Path, export_dir: Path) -> None:
        _bundle(export_dir).save(tmp_path / "tuned")
        with (tmp_path / "tuned" / "finetuned" / "model.safetensors").open("r+b") as handle:
            handle.seek(-4, 2)
            handle.write(b"\x00\x00\x80\x3f")
        with pytest.raises(BundleError, match="corrupt"):
            ModelBundle.load(tmp_path / "tuned")

    def test_missing_file_is_a_clear_error(self, tmp_path: Path, export_dir: Path) -> None:
        _bundle(export_dir).save(tmp_path / "tuned")
        (tmp_path / "tuned" / "finetuned" / "heads.npz").unlink()
        with pytest.raises(BundleError, match=r"heads\.npz"):
            ModelBundle.load(tmp_path / "tuned")

    def test_incomplete_export_is_refused_at_save(self, tmp_path: Path, export_dir: Path) -> None:
        partial = tmp_path / "partial"
        shutil.copytree(export_dir, partial)
        (partial / "scorer.json").unlink()
        with pytest.raises(BundleError, match=r"scorer\.json"):
            _bundle(partial).save(tmp_path / "tuned")

    def test_training_report_does_not_change_the_version(
        self, tmp_path: Path, export_dir: Path
    ) -> None:
        version = _bundle(export_dir).save(tmp_path / "tuned")
        (tmp_path / "tuned" / "finetuned" / "training.json").write_text("{}")
        assert ModelBundle.load(tmp_path / "tuned").manifest.full_version == version
