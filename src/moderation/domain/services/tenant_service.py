import uuid
from datetime import UTC, datetime
from uuid import UUID

from moderation.core.exceptions import ConflictError, InvalidRequestError, NotFoundError
from moderation.core.security import generate_api_key
from moderation.domain.models import ApiKey, Scope, Tenant
from moderation.domain.repositories import ApiKeyRepository, TenantRepository


class TenantService:
    """Tenants and their API keys (operator tasks: the CLI calls these)."""

    def __init__(self, tenants: TenantRepository, keys: ApiKeyRepository) -> None:
        self._tenants = tenants
        self._keys = keys

    async def create_tenant(self, name: str) -> Tenant:
        name = name.strip()
        if not name or len(name) > 100:
            raise InvalidRequestError("a tenant name is 1 to 100 characters")
        if await self._tenants.get_by_name(name) is not None:
            raise ConflictError(f"tenant {name!r} already exists")
        tenant = Tenant(id=uuid.uuid4(), name=name, created_at=datetime.now(UTC))
        await self._tenants.add(tenant)
        return tenant

    async def tenant(self, name_or_id: str) -> Tenant:
        tenant = await self._tenants.get_by_name(name_or_id)
        if tenant is None:
            try:
                tenant = await self._tenants.get(UUID(name_or_id))
            except ValueError:
                tenant = None
        if tenant is None:
            raise NotFoundError(f"no tenant {name_or_id!r}")
        return tenant

    async def list_tenants(self) -> list[Tenant]:
        return await self._tenants.all()

    async def create_key(
        self, tenant_name: str, scopes: set[Scope], name: str = "default"
    ) -> tuple[ApiKey, str]:
        """A new key for the tenant; the clear-text key is returned once and never stored."""
        if not scopes:
            raise InvalidRequestError("a key needs at least one scope")
        tenant = await self.tenant(tenant_name)
        full_key, prefix, key_hash = generate_api_key()
        key = ApiKey(
            id=uuid.uuid4(),
            tenant_id=tenant.id,
            name=name,
            prefix=prefix,
            key_hash=key_hash,
            scopes=frozenset(scopes),
            created_at=datetime.now(UTC),
        )
        await self._keys.add(key)
        return key, full_key

    async def list_keys(self, tenant_name: str) -> list[ApiKey]:
        tenant = await self.tenant(tenant_name)
        return await self._keys.list_for_tenant(tenant.id)

    async def revoke_key(self, key_id_or_prefix: str) -> ApiKey:
        key = await self._keys.get_by_prefix(key_id_or_prefix)
        if key is None:
            try:
                wanted = UUID(key_id_or_prefix)
            except ValueError:
                wanted = None
            for tenant in await self._tenants.all():
                for candidate in await self._keys.list_for_tenant(tenant.id):
                    if candidate.id == wanted:
                        key = candidate
        if key is None:
            raise NotFoundError(f"no key {key_id_or_prefix!r}")
        await self._keys.revoke(key.id, datetime.now(UTC))
        return key
