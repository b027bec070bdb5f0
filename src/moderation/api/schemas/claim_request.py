from pydantic import BaseModel, ConfigDict, Field


class ClaimRequest(BaseModel):
    """How long the claim runs; claiming again renews it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"seconds": 600}]})

    seconds: int = Field(default=600, ge=30, le=3600, description="30 s to 1 h; default 10 min.")
