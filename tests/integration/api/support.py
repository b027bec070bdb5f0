"""Builders shared by the API tests."""

import asyncio
import secrets
import uuid
from dataclasses import dataclass

import httpx

from moderation.core.config import Settings
from moderation.domain.models import Scope

# Generated per run: no secret-looking literal in the tree.
TEST_JWT_SECRET = secrets.token_urlsafe(48)
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
        "worker_poll_seconds": 0.05,
        "rate_limit_per_minute": 100_000,
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
