"""Fuzz the API from its own OpenAPI document (schemathesis): no input may produce a 5xx, and
every response must be one the document declares, with its content type and schema."""

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.schemas import OpenApiSchema
from tests.integration.api.support import ALL_SCOPES, make_settings

from moderation.api.dependencies import forget_credentials
from moderation.domain.services import TenantService
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine

MAX_EXAMPLES = 30


async def _create_tenant_key(url: str) -> str:
    database = Database(url)
    try:
        async with database.transaction() as session:
            service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
            tenant = await service.create_tenant(f"fuzz-{uuid.uuid4().hex[:8]}")
            _, key = await service.create_key(tenant.name, set(ALL_SCOPES))
    finally:
        await database.dispose()
    return key


@pytest.fixture(scope="module")
def fuzzed_app(tiny_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    Migrator(url).upgrade()
    key = asyncio.run(_create_tenant_key(url))
    app = create_app(make_settings(url), engine=tiny_engine)
    app.state.fuzz_key = key
    yield app
    # Schemathesis runs the app's lifespan on its own event loop thread; end it here, not at exit.
    shutdown_lifespans()
    forget_credentials()


def _wait_until_ready(app: FastAPI, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not app.state.resources.ready.is_set():
        if time.monotonic() > deadline:
            raise AssertionError("the app did not become ready")
        time.sleep(0.02)


schema = schemathesis.openapi.from_dict(create_app(make_settings("sqlite+aiosqlite://")).openapi())
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)


@schema.parametrize()
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case, fuzzed_app: FastAPI) -> None:
    case.call_and_validate(
        app=fuzzed_app, headers={"Authorization": f"Bearer {fuzzed_app.state.fuzz_key}"}
    )
