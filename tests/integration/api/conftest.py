"""API test fixtures: the real app on a real database (SQLite and PostgreSQL), the tiny model.

Each backend's database is created and migrated once per session (which tests the migrations);
tests stay independent because each creates its own tenants, and everything is tenant-scoped.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from tests.integration.api.support import (
    ALL_SCOPES,
    TenantHandle,
    make_settings,
    scratch_postgresql,
)

from moderation.api.dependencies import forget_credentials
from moderation.core.config import Settings
from moderation.domain.models import Scope
from moderation.domain.services import TenantService
from moderation.infrastructure.database import Migrator
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine


@pytest.fixture(scope="session")
def tiny_engine(tiny_model_dir: Path) -> Iterator[Engine]:
    engine = Engine.load(tiny_model_dir)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'api.db'}"
    Migrator(url).upgrade()
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    with scratch_postgresql("moderation_test") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest_asyncio.fixture
async def app(settings: Settings, tiny_engine: Engine) -> AsyncIterator[FastAPI]:
    application = create_app(settings, engine=tiny_engine)
    async with application.router.lifespan_context(application):
        await asyncio.wait_for(application.state.resources.ready.wait(), 30)
        yield application
    forget_credentials()


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


MakeTenant = Callable[..., Awaitable[TenantHandle]]


@pytest.fixture
def make_tenant(app: FastAPI) -> MakeTenant:
    """`await make_tenant(scopes={Scope.MODERATE})` → a fresh tenant with one key."""

    async def make(scopes: frozenset[Scope] | set[Scope] = ALL_SCOPES) -> TenantHandle:
        database = app.state.resources.database
        async with database.transaction() as session:
            service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
            tenant = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
            _, key = await service.create_key(tenant.name, set(scopes))
        return TenantHandle(name=tenant.name, id=tenant.id, key=key)

    return make


@pytest_asyncio.fixture
async def tenant(make_tenant: MakeTenant) -> TenantHandle:
    return await make_tenant()
