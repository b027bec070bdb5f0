import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from moderation.ml.artifacts import BundleError, ModelBundle, ModelRegistry


class TestModelBundle:
    def test_round_trip_keeps_weights_and_version(
        self, tiny_model_dir: Path, tmp_path: Path
    ) -> None:
        bundle = ModelBundle.load(tiny_model_dir)
        version = bundle.save(tmp_path / "copy")
        again = ModelBundle.load(tmp_path / "copy")
        assert version == bundle.manifest.full_version
        assert again.manifest.content_hash == bundle.manifest.content_hash
        np.testing.assert_allclose(again.fast_heads.weights, bundle.fast_heads.weights)
        assert again.semantic_heads is not None

    def test_tampered_weights_are_detected(self, tiny_model_dir: Path, tmp_path: Path) -> None:
        target = tmp_path / "bad"
        shutil.copytree(tiny_model_dir, target)
        with np.load(target / "fast.npz") as arrays:
            data = {k: arrays[k] for k in arrays.files}
        data["bias"] = data["bias"] + 1.0
        np.savez_compressed(target / "fast.npz", **data)
        with pytest.raises(BundleError, match="corrupt"):
            ModelBundle.load(target)

    def test_missing_directory_is_a_clear_error(self, tmp_path: Path) -> None:
        with pytest.raises(BundleError, match="cannot load"):
            ModelBundle.load(tmp_path)

    def test_no_pickle_in_artifacts(self, tiny_model_dir: Path) -> None:
        for path in tiny_model_dir.glob("*.npz"):
            with np.load(path, allow_pickle=False) as arrays:
                assert all(arrays[k].dtype != object for k in arrays.files)


class TestModelRegistry:
    def test_lists_and_resolves_user_models(
        self, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("MODERATION_MODELS_DIR", str(tiny_model_dir.parent))
        registry = ModelRegistry()
        names = {m.name: m for m in registry.list()}
        assert "tiny" in names
        assert names["tiny"].version.startswith("0.0.1+")
        assert registry.resolve("tiny") == tiny_model_dir
        assert registry.resolve(tiny_model_dir) == tiny_model_dir

    def test_shipped_default_is_registered(self) -> None:
        registry = ModelRegistry()
        default = registry.resolve(None)
        manifest = json.loads((default / "manifest.json").read_text())
        assert manifest["content_hash"]

    def test_unknown_model_names_the_search_path(self) -> None:
        with pytest.raises(BundleError, match="not found"):
            ModelRegistry().resolve("no-such-model")
