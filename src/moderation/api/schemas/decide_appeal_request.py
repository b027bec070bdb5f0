from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DecideAppealRequest(BaseModel):
    """A reviewer's decision on an appeal (not the reviewer who made the contested decision)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"outcome": "overturned", "status": "approved", "notes": "quoted"}]
        },
    )

    outcome: Literal["upheld", "overturned"]
    status: Literal["approved", "flagged"] = Field(
        default="approved", description="What an overturned rejection becomes."
    )
    notes: str | None = Field(default=None, max_length=2000)
