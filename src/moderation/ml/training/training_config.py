from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.vocabulary.category import Category

# Realistic base rates on a general platform, used to calibrate each head (see docs/models).
DEFAULT_PRIORS: dict[Category, float] = {
    Category.TOXICITY: 0.15,
    Category.INSULT: 0.10,
    Category.PROFANITY: 0.12,
    Category.THREAT: 0.05,
    Category.HATE_SPEECH: 0.08,
    Category.SEXUAL: 0.05,
    Category.SPAM: 0.10,
}


class TrainingConfig(BaseModel):
    """Everything `moderation train` needs; the same config and seed give the same model."""

    model_config = ConfigDict(extra="forbid")

    data_dir: Path
    out_dir: Path
    version: str = "1.2.0"
    seed: int = 13
    max_per_source: int | None = Field(
        default=None, description="Cap rows per dataset (tests train tiny models this way)."
    )
    include_noncommercial: bool = False
    word_bits: int = 18
    char_bits: int = 18
    regularization: float = Field(default=4.0, gt=0, description="Inverse L2 strength (C).")
    identity_blind: bool = True
    semantic: bool = True
    semantic_max_train: int = Field(default=40_000, ge=0)
    semantic_max_tokens: int = 128
    finetuned_dir: Path | None = Field(
        default=None,
        description=(
            "A full export of training/finetune_minilm.py: packed into the bundle as its "
            "semantic tier (instead of heads over frozen MiniLM embeddings) and stacked with "
            "the fast tier on the validation split."
        ),
    )
    spans: bool = True
    augment: bool = True
    cascade_band: tuple[float, float] = (0.15, 0.85)
    priors: dict[Category, float] = Field(default_factory=lambda: dict(DEFAULT_PRIORS))
