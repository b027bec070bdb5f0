from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.features.featurizer_config import FeaturizerConfig
from moderation.ml.vocabulary.category import Category


class ModelManifest(BaseModel):
    """`manifest.json` of a model bundle: what it is, how to run it, how it was made."""

    model_config = ConfigDict(extra="forbid", protected_namespaces=())

    name: str = "monocto-moderation"
    version: str = Field(description="Semantic version of the model line, e.g. 1.0.0")
    content_hash: str = Field(default="", description="sha256 prefix over the weight files")
    created_at: str = ""
    categories: list[Category]
    featurizer: FeaturizerConfig
    has_semantic_tier: bool = False
    has_span_tagger: bool = False
    has_finetuned_tier: bool = Field(
        default=False,
        description="The bundle carries a fine-tuned MiniLM scorer in its finetuned/ folder.",
    )
    cascade_band: tuple[float, float] = Field(
        default=(0.2, 0.6),
        description="Fast-tier probabilities inside this band send a text to the semantic tier.",
    )
    semantic_max_tokens: int = 128
    priors: dict[Category, float] = Field(default_factory=dict)
    training: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, Any] = Field(default_factory=dict)

    @property
    def full_version(self) -> str:
        """Semver plus content hash, e.g. 1.0.0+3f2a9c1b7d4e."""
        return f"{self.version}+{self.content_hash}" if self.content_hash else self.version
