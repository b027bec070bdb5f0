import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from moderation.ml.artifacts.bundle_error import BundleError
from moderation.ml.artifacts.model_manifest import ModelManifest
from moderation.ml.models.linear_heads import LinearHeads
from moderation.ml.models.probability_calibrator import ProbabilityCalibrator

_WEIGHT_FILES = ("fast.npz", "semantic.npz")


@dataclass
class ModelBundle:
    """Everything one model version needs at inference, stored as `.npz` + JSON (never pickle)."""

    manifest: ModelManifest
    idf: NDArray[np.float32]
    fast_heads: LinearHeads
    fast_calibrator: ProbabilityCalibrator
    semantic_heads: LinearHeads | None = None
    stack_calibrator: ProbabilityCalibrator | None = None

    def save(self, directory: Path) -> str:
        """Write the bundle; returns its full version (semver + content hash)."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / "fast.npz",
            idf=self.idf.astype(np.float16),
            weights=self.fast_heads.weights.astype(np.float16),
            bias=self.fast_heads.bias,
            calib_coef=self.fast_calibrator.coef,
            calib_bias=self.fast_calibrator.bias,
        )
        semantic_path = directory / "semantic.npz"
        if self.semantic_heads is not None and self.stack_calibrator is not None:
            np.savez_compressed(
                semantic_path,
                weights=self.semantic_heads.weights,
                bias=self.semantic_heads.bias,
                stack_coef=self.stack_calibrator.coef,
                stack_bias=self.stack_calibrator.bias,
            )
            self.manifest.has_semantic_tier = True
        elif semantic_path.exists():
            semantic_path.unlink()
        self.manifest.content_hash = _content_hash(directory)
        (directory / "manifest.json").write_text(
            self.manifest.model_dump_json(indent=2) + "\n", encoding="utf-8"
        )
        return self.manifest.full_version

    @classmethod
    def load(cls, directory: Path) -> "ModelBundle":
        """Read a bundle written by `save`, checking its content hash."""
        try:
            manifest = ModelManifest.model_validate(
                json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
            )
            categories = manifest.categories
            with np.load(directory / "fast.npz", allow_pickle=False) as fast:
                idf = fast["idf"].astype(np.float32)
                fast_heads = LinearHeads(categories, fast["weights"], fast["bias"])
                fast_calibrator = ProbabilityCalibrator(
                    categories, fast["calib_coef"], fast["calib_bias"]
                )
            semantic_heads = stack_calibrator = None
            if manifest.has_semantic_tier:
                with np.load(directory / "semantic.npz", allow_pickle=False) as sem:
                    semantic_heads = LinearHeads(categories, sem["weights"], sem["bias"])
                    stack_calibrator = ProbabilityCalibrator(
                        categories, sem["stack_coef"], sem["stack_bias"]
                    )
        except (OSError, KeyError, ValueError) as exc:
            raise BundleError(f"cannot load model bundle from {directory}: {exc}") from exc
        actual = _content_hash(directory)
        if manifest.content_hash and actual != manifest.content_hash:
            raise BundleError(
                f"model bundle {directory} is corrupt: content hash {actual} "
                f"!= manifest {manifest.content_hash}"
            )
        return cls(manifest, idf, fast_heads, fast_calibrator, semantic_heads, stack_calibrator)


def _content_hash(directory: Path) -> str:
    # Hash array contents, not file bytes: zip members carry timestamps, so identical
    # weights saved twice must still get the same version.
    digest = hashlib.sha256()
    for name in _WEIGHT_FILES:
        path = directory / name
        if not path.exists():
            continue
        with np.load(path, allow_pickle=False) as arrays:
            for key in sorted(arrays.files):
                array = np.ascontiguousarray(arrays[key])
                digest.update(f"{name}:{key}:{array.dtype.str}:{array.shape}".encode())
                digest.update(array.tobytes())
    return digest.hexdigest()[:12]
