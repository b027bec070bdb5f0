"""The zero-configuration start (the README's `moderation serve`: env=dev, no JWT key) accepts
only tokens signed with a secret generated for this install, never a published one."""

import asyncio
import os
import stat
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI

from moderation.api.dependencies import forget_credentials
from moderation.core.config import Settings
from moderation.core.local_jwt_secret import LOCAL_JWT_AUDIENCE, LOCAL_JWT_ISSUER
from moderation.domain.models import Scope
from moderation.domain.services import TenantService
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine

CONTENT = "/api/v1/content"
# The secret docs/api.md and the source used to print, built from pieces so that no scanner
# mistakes the test for a leak.
PUBLISHED_SECRET = "-".join(["dev", "insecure", "jwt", "secret", "change", "me"])


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Zero configuration means none: no MODERATION_* variable of this machine applies."""
    for name in list(os.environ):
        if name.startswith("MODERATION_"):
            monkeypatch.delenv(name)


@asynccontextmanager
async def _zero_config(data_dir: Path, engine: Engine) -> AsyncIterator[FastAPI]:
    app = create_app(Settings(data_dir=data_dir), engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        yield app
    forget_credentials()


@asynccontextmanager
async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def _create_tenant(app: FastAPI) -> uuid.UUID:
    async with app.state.resources.database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        tenant = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
    return tenant.id


def _claims(tenant_id: uuid.UUID, **extra: object) -> dict[str, Any]:
    now = int(time.time())
    return {
        "sub": "mallory",
        "tenant_id": str(tenant_id),
        "scope": "content:read content:write moderate policy:admin",
        "iat": now,
        "exp": now + 600,
        **extra,
    }


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.asyncio
async def test_zero_config_refuses_the_published_secret_and_accepts_its_own(
    tmp_path: Path, tiny_engine: Engine
) -> None:
    async with _zero_config(tmp_path, tiny_engine) as app, _client(app) as client:
        assert app.state.resources.settings.env == "dev"
        tenant_id = await _create_tenant(app)
        forged = jwt.encode(_claims(tenant_id), PUBLISHED_SECRET, algorithm="HS256")
        forged_with_claims = jwt.encode(
            _claims(tenant_id, iss=LOCAL_JWT_ISSUER, aud=LOCAL_JWT_AUDIENCE),
            PUBLISHED_SECRET,
            algorithm="HS256",
        )
        minted = app.state.resources.jwt.issue("alice", tenant_id, [Scope.CONTENT_READ])
        refused = [
            await client.get(CONTENT, headers=_bearer(token))
            for token in (forged, forged_with_claims)
        ]
        accepted = await client.get(CONTENT, headers=_bearer(minted))

    for response in refused:
        assert response.status_code == 401, response.text
        assert response.json()["detail"] == "invalid token signature"
    assert accepted.status_code == 200, accepted.text
    path = tmp_path / "jwt-secret"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secret = path.read_text().strip()
    # The minted token is signed with the file's secret and names this service.
    claims = jwt.decode(
        minted, secret, algorithms=["HS256"], audience=LOCAL_JWT_AUDIENCE, issuer=LOCAL_JWT_ISSUER
    )
    assert claims["exp"] - claims["iat"] == 3600


@pytest.mark.asyncio
async def test_the_generated_secret_survives_a_restart(tmp_path: Path, tiny_engine: Engine) -> None:
    async with _zero_config(tmp_path, tiny_engine) as app:
        tenant_id = await _create_tenant(app)
        token = app.state.resources.jwt.issue("alice", tenant_id, [Scope.CONTENT_READ])
    secret = (tmp_path / "jwt-secret").read_bytes()

    async with _zero_config(tmp_path, tiny_engine) as restarted, _client(restarted) as client:
        after_restart = await client.get(CONTENT, headers=_bearer(token))

    assert after_restart.status_code == 200, after_restart.text
    assert (tmp_path / "jwt-secret").read_bytes() == secret


@pytest.mark.asyncio
async def test_tokens_for_the_generated_secret_must_carry_its_issuer_and_audience(
    tmp_path: Path, tiny_engine: Engine
) -> None:
    async with _zero_config(tmp_path, tiny_engine) as app, _client(app) as client:
        tenant_id = await _create_tenant(app)
        secret = (tmp_path / "jwt-secret").read_text().strip()
        bare = jwt.encode(_claims(tenant_id), secret, algorithm="HS256")
        other_audience = jwt.encode(
            _claims(tenant_id, iss=LOCAL_JWT_ISSUER, aud="another-service"),
            secret,
            algorithm="HS256",
        )
        responses = [
            await client.get(CONTENT, headers=_bearer(token)) for token in (bare, other_audience)
        ]

    assert [r.status_code for r in responses] == [401, 401]
    assert responses[0].json()["detail"] == "token lacks the 'aud' claim"
    assert responses[1].json()["detail"] == "invalid token audience"
