"""One scorer on the project's own suites."""

from pydantic import BaseModel, ConfigDict, Field


class SuiteScores(BaseModel):
    """One scorer trained on every selected source, on the project's own suites."""

    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="constants")

    scorer: str
    functional: dict[str, float] = Field(
        default_factory=dict, description="Accuracy per functionality and 'overall'."
    )
    templates_trained: dict[str, float] = Field(
        default_factory=dict, description="Hard-negative templates in training: accuracy."
    )
    templates_held_out: dict[str, float] = Field(
        default_factory=dict, description="Hard-negative templates held out: accuracy."
    )
    bias: dict[str, float] = Field(default_factory=dict)
    span_f1: float | None = None
    seconds: float = 0.0
