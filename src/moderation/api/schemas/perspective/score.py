from typing import Literal

from pydantic import BaseModel, Field

from moderation.api.schemas.perspective._wire import WIRE_CONFIG


class Score(BaseModel):
    """One Perspective score: a probability that a reader would perceive the attribute."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {"examples": [{"value": 0.9208, "type": "PROBABILITY"}]}
    }

    value: float = Field(ge=0.0, le=1.0, description="Probability in [0, 1].")
    type: Literal["PROBABILITY"] = "PROBABILITY"
