"""Versioned model bundles on disk."""

from moderation.ml.artifacts.model_bundle import BundleError, ModelBundle
from moderation.ml.artifacts.model_manifest import ModelManifest
from moderation.ml.artifacts.model_registry import ModelRegistry
from moderation.ml.artifacts.registered_model import RegisteredModel

__all__ = ["BundleError", "ModelBundle", "ModelManifest", "ModelRegistry", "RegisteredModel"]
