import json
import os
from pathlib import Path

from moderation.ml.artifacts.bundle_error import BundleError
from moderation.ml.artifacts.registered_model import RegisteredModel

PACKAGED_DIR = Path(__file__).resolve().parent.parent / "bundles"
DEFAULT_MODEL = "default"
ENV_MODELS_DIR = "MODERATION_MODELS_DIR"


class ModelRegistry:
    """Finds model bundles: the one shipped in the package, plus a user directory.

    The user directory is `$MODERATION_MODELS_DIR` (default `./models`), where
    `moderation train` writes new versions.
    """

    def __init__(self, extra_dirs: list[Path] | None = None) -> None:
        user = Path(os.environ.get(ENV_MODELS_DIR, "models"))
        self._dirs = [PACKAGED_DIR, user, *(extra_dirs or [])]

    @property
    def user_dir(self) -> Path:
        return self._dirs[1]

    def resolve(self, model: str | Path | None) -> Path:
        """Directory of `model`: an explicit path, a registered name, or the default."""
        if model is not None and Path(model).is_dir() and (Path(model) / "manifest.json").exists():
            return Path(model)
        name = str(model) if model is not None else DEFAULT_MODEL
        for base in self._dirs:
            candidate = base / name
            if (candidate / "manifest.json").exists():
                return candidate
        raise BundleError(
            f"model {name!r} not found (looked in {', '.join(str(d) for d in self._dirs)}); "
            "run `moderation train` or `moderation models`"
        )

    def list(self) -> list[RegisteredModel]:
        """Every bundle in the search directories."""
        found: list[RegisteredModel] = []
        for base in self._dirs:
            if not base.is_dir():
                continue
            for manifest_path in sorted(base.glob("*/manifest.json")):
                data = json.loads(manifest_path.read_text(encoding="utf-8"))
                version = data.get("version", "?")
                if data.get("content_hash"):
                    version = f"{version}+{data['content_hash']}"
                summary = data.get("metrics", {}).get("summary", {})
                found.append(
                    RegisteredModel(
                        name=manifest_path.parent.name,
                        version=version,
                        path=manifest_path.parent,
                        has_semantic_tier=bool(data.get("has_semantic_tier")),
                        has_finetuned_tier=bool(data.get("has_finetuned_tier")),
                        has_span_tagger=bool(data.get("has_span_tagger")),
                        metrics={k: float(v) for k, v in summary.items()},
                    )
                )
        return found
