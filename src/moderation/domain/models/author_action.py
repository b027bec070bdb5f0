from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class AuthorAction(BaseModel):
    """An action a strike rule recommended against an author; the platform decides and acts."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: UUID
    tenant_id: UUID
    author_id: str
    rule_id: str
    action: str = Field(description="warn, mute or suspend.")
    reason: str
    strikes: int = Field(description="Active strikes for the reason within the rule's window.")
    evidence: list[str] = Field(description="Ids of the rejected items behind those strikes.")
    created_at: datetime
