from moderation.core.exceptions import UnauthorizedError
from moderation.core.jwt_verifier import JwtVerifier
from moderation.core.security import KEY_SCHEME, parse_api_key_prefix, verify_api_key
from moderation.domain.models import Principal
from moderation.domain.repositories import ApiKeyRepository, TenantRepository


class AuthenticationService:
    """Turns a bearer credential (our API key, or a JWT for reviewer tools) into a Principal.

    Only a credential of the right shape costs a query: a key shaped like ours is looked up by
    its prefix, a JWT only once its signature, lifetime and claims verify (then its tenant must
    exist). Anything else is refused without touching the database.
    """

    def __init__(self, keys: ApiKeyRepository, tenants: TenantRepository, jwt: JwtVerifier) -> None:
        self._keys = keys
        self._tenants = tenants
        self._jwt = jwt

    async def authenticate(self, token: str) -> Principal:
        prefix = parse_api_key_prefix(token)
        if prefix is not None:
            key = await self._keys.get_by_prefix(prefix)
            if key is None or not verify_api_key(token, key.key_hash):
                raise UnauthorizedError("invalid API key")
            if not key.active:
                raise UnauthorizedError("API key revoked")
            return Principal(
                tenant_id=key.tenant_id, actor=f"key:{key.id}", scopes=key.scopes, key_id=key.id
            )
        if token.startswith(f"{KEY_SCHEME}_"):
            raise UnauthorizedError("invalid API key")
        claims = self._jwt.verify(token)
        if await self._tenants.get(claims.tenant_id) is None:
            raise UnauthorizedError("unknown tenant")
        return Principal(
            tenant_id=claims.tenant_id, actor=f"user:{claims.subject}", scopes=claims.scopes
        )
