from pydantic import BaseModel, ConfigDict, Field


class FeaturizerConfig(BaseModel):
    """Hashing settings of the fast tier; stored in the artifact so inference re-hashes the same."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    word_bits: int = Field(default=18, ge=8, le=22)
    char_bits: int = Field(default=18, ge=8, le=22)
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    extra_features: list[str] = Field(default_factory=list)
    identity_blind: bool = Field(
        default=False, description="Mask identity-group words before hashing (see masker)."
    )

    @property
    def n_features(self) -> int:
        return (1 << self.word_bits) + (1 << self.char_bits) + len(self.extra_features)
