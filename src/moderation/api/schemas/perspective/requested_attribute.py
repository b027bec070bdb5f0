from typing import Literal

from pydantic import BaseModel, Field

from moderation.api.schemas.perspective._wire import WIRE_CONFIG


class RequestedAttribute(BaseModel):
    """Options for one requested attribute; `{}` asks for the defaults."""

    model_config = WIRE_CONFIG | {
        "json_schema_extra": {"examples": [{}, {"scoreType": "PROBABILITY", "scoreThreshold": 0.7}]}
    }

    score_type: Literal["PROBABILITY"] | None = Field(
        default=None, description="Only PROBABILITY is supported, as in Perspective."
    )
    score_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Leave the attribute out of the response when its summary is below this.",
    )
