from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RegisteredModel:
    """One model bundle found on disk."""

    name: str
    version: str
    path: Path
    has_semantic_tier: bool
    has_span_tagger: bool
    metrics: dict[str, float]
    has_finetuned_tier: bool = False
