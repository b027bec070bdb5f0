"""Versioned model bundles on disk."""

from moderation.ml.artifacts.bundle_error import BundleError
from moderation.ml.artifacts.model_bundle import ModelBundle
from moderation.ml.artifacts.model_manifest import ModelManifest
from moderation.ml.artifacts.model_registry import ModelRegistry
from moderation.ml.artifacts.registered_model import RegisteredModel

__all__ = ["BundleError", "ModelBundle", "ModelManifest", "ModelRegistry", "RegisteredModel"]
