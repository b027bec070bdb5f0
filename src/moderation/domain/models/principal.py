from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.core.scope import Scope


class Principal(BaseModel):
    """Who is calling: the tenant comes from the verified credential, never from the request."""

    model_config = ConfigDict(frozen=True)

    tenant_id: UUID
    actor: str
    scopes: frozenset[Scope]
    key_id: UUID | None = None

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes
