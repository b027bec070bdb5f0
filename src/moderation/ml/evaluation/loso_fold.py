"""What one leave-one-source-out fold trained on."""

from pydantic import BaseModel, ConfigDict, Field


class LosoFold(BaseModel):
    """What one leave-one-source-out fold trained on, and how long each scorer took."""

    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="constants")

    source: str
    training_sources: list[str]
    train_texts: int
    validation_texts: int
    augmentation_texts: int
    test_texts: int
    seconds: dict[str, float] = Field(default_factory=dict)
