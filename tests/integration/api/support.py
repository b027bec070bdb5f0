"""Builders shared by the API tests."""

import asyncio
import contextlib
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg
import httpx
import pytest

from moderation.core.config import Settings
from moderation.domain.models import Scope
from moderation.infrastructure.database import Migrator

# Generated per run: no secret-looking literal in the tree.
TEST_JWT_SECRET = secrets.token_urlsafe(48)
# Outside env=dev a JWT key needs both (tokens made for these tests carry them).
TEST_JWT_AUDIENCE = "moderation-tests"
TEST_JWT_ISSUER = "https://idp.tests.example"
ALL_SCOPES = frozenset(Scope)


@dataclass(frozen=True)
class TenantHandle:
    """A tenant created for one test, and a key with the scopes asked for."""

    name: str
    id: uuid.UUID
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "database_url": database_url,
        "auto_migrate": False,
        "jwt_secret": TEST_JWT_SECRET,
        "jwt_audience": TEST_JWT_AUDIENCE,
        "jwt_issuer": TEST_JWT_ISSUER,
        "worker_poll_seconds": 0.05,
        "rate_limit_per_minute": 100_000,
        # Every test client is 127.0.0.1: tests that expect many 401s must not meet the throttle.
        "auth_failures_per_minute": 100_000,
        "log_json": True,
    }
    values.update(overrides)
    return Settings.model_validate(values)


def content_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "title": "A title",
        "body": "Thanks, this fixed my problem!",
        "content_type": "text",
        "author_id": "author-1",
    }
    body.update(overrides)
    return body


async def wait_until_decided(
    client: httpx.AsyncClient, tenant: TenantHandle, content_id: str, timeout: float = 15.0
) -> dict[str, object]:
    """Poll an item until the background worker has decided it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(f"/api/v1/content/{content_id}", headers=tenant.headers)
        body: dict[str, object] = response.json()
        if body.get("moderation_status") != "pending":
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{content_id} still pending after {timeout} s")
        await asyncio.sleep(0.05)


POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextlib.contextmanager
def scratch_postgresql(prefix: str) -> Iterator[str]:
    """A new, migrated PostgreSQL database named `prefix_<random>` (its async URL), dropped
    afterwards; skips the test when PostgreSQL is not reachable."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as error:  # pragma: no cover - machine setup
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_DSN}: {error}")
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    try:
        Migrator(url).upgrade()
        yield url
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN_DSN)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
