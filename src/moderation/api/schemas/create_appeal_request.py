from pydantic import BaseModel, ConfigDict, Field


class CreateAppealRequest(BaseModel):
    """An author's appeal against the rejection of their item, sent by the platform."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"author_id": "user-77", "statement": "I was quoting the insult to report it."}
            ]
        },
    )

    author_id: str = Field(
        min_length=1, max_length=128, description="Must be the item's author_id."
    )
    statement: str = Field(min_length=1, max_length=5000, description="The author's case.")
