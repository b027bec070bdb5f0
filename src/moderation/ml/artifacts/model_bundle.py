import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from moderation.ml.artifacts.bundle_error import BundleError
from moderation.ml.artifacts.model_manifest import ModelManifest
from moderation.ml.embeddings.finetuned_scorer import FinetunedScorer
from moderation.ml.models.linear_heads import LinearHeads
from moderation.ml.models.probability_calibrator import ProbabilityCalibrator

# stack.npz: the calibrator stacking the fast tier with a fine-tuned tier (bundles with a
# frozen-encoder semantic tier keep theirs in semantic.npz, beside its heads).
_WEIGHT_FILES = ("fast.npz", "semantic.npz", "stack.npz")
FINETUNED_DIR = "finetuned"
_CHUNK = 1 << 20


@dataclass
class ModelBundle:
    """Everything one model version needs at inference, stored as `.npz` + JSON (never pickle)."""

    manifest: ModelManifest
    idf: NDArray[np.float32]
    fast_heads: LinearHeads
    fast_calibrator: ProbabilityCalibrator
    semantic_heads: LinearHeads | None = None
    stack_calibrator: ProbabilityCalibrator | None = None
    # Directory of a fine-tuned MiniLM scorer (see FinetunedScorer). Only the path: the
    # 90 MB encoder loads on first use, like the frozen one.
    finetuned_dir: Path | None = None

    def save(self, directory: Path) -> str:
        """Write the bundle; returns its full version (semver + content hash)."""
        directory.mkdir(parents=True, exist_ok=True)
        # First: an incomplete export must fail before any weight file is overwritten.
        self._save_finetuned(directory / FINETUNED_DIR)
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
        stack_path = directory / "stack.npz"
        if (
            self.finetuned_dir is not None
            and self.semantic_heads is None
            and self.stack_calibrator is not None
        ):
            np.savez_compressed(
                stack_path,
                stack_coef=self.stack_calibrator.coef,
                stack_bias=self.stack_calibrator.bias,
            )
        elif stack_path.exists():
            stack_path.unlink()
        self.manifest.content_hash = _content_hash(directory, self.manifest.has_finetuned_tier)
        (directory / "manifest.json").write_text(
            self.manifest.model_dump_json(indent=2) + "\n", encoding="utf-8"
        )
        return self.manifest.full_version

    def load_finetuned_scorer(self) -> FinetunedScorer | None:
        """The fine-tuned scorer this bundle carries, loaded now; None if it has none."""
        if self.finetuned_dir is None:
            return None
        try:
            return FinetunedScorer.load(self.finetuned_dir)
        except (OSError, KeyError, ValueError) as exc:
            raise BundleError(f"cannot load fine-tuned scorer {self.finetuned_dir}: {exc}") from exc

    def _save_finetuned(self, target: Path) -> None:
        source = self.finetuned_dir
        if source is None:
            self.manifest.has_finetuned_tier = False
            if target.is_dir():
                shutil.rmtree(target)
            return
        if source.resolve() != target.resolve():
            missing = [n for n in FinetunedScorer.REQUIRED_FILES if not (source / n).is_file()]
            if missing:
                raise BundleError(f"{source} is not a fine-tuned scorer: missing {missing}")
            if target.is_dir():
                shutil.rmtree(target)
            target.mkdir()
            for name in (*FinetunedScorer.REQUIRED_FILES, FinetunedScorer.TRAINING_FILE):
                if (source / name).is_file():
                    shutil.copyfile(source / name, target / name)
        self.finetuned_dir = target
        self.manifest.has_finetuned_tier = True

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
            finetuned_dir = None
            if manifest.has_semantic_tier:
                with np.load(directory / "semantic.npz", allow_pickle=False) as sem:
                    semantic_heads = LinearHeads(categories, sem["weights"], sem["bias"])
                    stack_calibrator = ProbabilityCalibrator(
                        categories, sem["stack_coef"], sem["stack_bias"]
                    )
            if manifest.has_finetuned_tier:
                finetuned_dir = directory / FINETUNED_DIR
                missing = [
                    n for n in FinetunedScorer.REQUIRED_FILES if not (finetuned_dir / n).is_file()
                ]
                if missing:
                    raise ValueError(f"{FINETUNED_DIR}/ lacks {missing}")
                if (directory / "stack.npz").is_file():
                    with np.load(directory / "stack.npz", allow_pickle=False) as stack:
                        stack_calibrator = ProbabilityCalibrator(
                            categories, stack["stack_coef"], stack["stack_bias"]
                        )
        except (OSError, KeyError, ValueError) as exc:
            raise BundleError(f"cannot load model bundle from {directory}: {exc}") from exc
        actual = _content_hash(directory, manifest.has_finetuned_tier)
        if manifest.content_hash and actual != manifest.content_hash:
            raise BundleError(
                f"model bundle {directory} is corrupt: content hash {actual} "
                f"!= manifest {manifest.content_hash}"
            )
        return cls(
            manifest,
            idf,
            fast_heads,
            fast_calibrator,
            semantic_heads,
            stack_calibrator,
            finetuned_dir,
        )


def _content_hash(directory: Path, finetuned: bool = False) -> str:
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
    if finetuned:
        _hash_finetuned(digest, directory / FINETUNED_DIR)
    return digest.hexdigest()[:12]


def _hash_finetuned(digest: "hashlib._Hash", directory: Path) -> None:
    # Everything that changes the scores; training.json (timings, counts) is left out so a
    # rerun with identical weights keeps its version. Only bundles that carry the folder get
    # these updates, so every other bundle keeps the hash it had.
    for name in FinetunedScorer.REQUIRED_FILES:
        path = directory / name
        digest.update(f"{FINETUNED_DIR}/{name}".encode())
        if name == FinetunedScorer.HEADS_FILE:
            with np.load(path, allow_pickle=False) as arrays:
                for key in sorted(arrays.files):
                    array = np.ascontiguousarray(arrays[key])
                    digest.update(f"{key}:{array.dtype.str}:{array.shape}".encode())
                    digest.update(array.tobytes())
            continue
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
