from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, field_validator

from moderation.core.scope import Scope

_KNOWN_SCOPES = frozenset(scope.value for scope in Scope)


class JwtClaims(BaseModel):
    """The claims of a verified bearer token that the service acts on."""

    model_config = ConfigDict(frozen=True)

    subject: str
    tenant_id: UUID
    scopes: frozenset[Scope]
    expires_at: datetime

    @field_validator("scopes", mode="before")
    @classmethod
    def _drop_unknown_scopes(cls, value: object) -> object:
        # Identity providers put scopes for other audiences in the same token (openid, email, ...);
        # those are not an error, they just grant nothing here.
        if isinstance(value, str):
            value = value.split()
        if isinstance(value, Iterable):
            return frozenset(
                Scope(item) for item in value if isinstance(item, str) and item in _KNOWN_SCOPES
            )
        return value
