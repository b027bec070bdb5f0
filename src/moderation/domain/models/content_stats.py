from pydantic import BaseModel, ConfigDict


class ContentStats(BaseModel):
    """Counts of a tenant's content per status and per reason."""

    model_config = ConfigDict(frozen=True)

    total: int
    by_status: dict[str, int]
    by_reason: dict[str, int]
