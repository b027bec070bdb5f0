from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class AuthorActionResponse(BaseModel):
    """An action a strike rule of the policy recommended against the author."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    rule_id: str
    action: str = Field(description="warn, mute or suspend: the platform decides and acts.")
    reason: str
    strikes: int = Field(description="Active strikes for the reason within the rule's window.")
    evidence: list[UUID] = Field(description="The rejected items behind those strikes.")
    created_at: datetime
