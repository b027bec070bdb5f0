"""Authentication, rate limits, body limit, security headers, CORS and router errors."""

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI
from tests.integration.api.support import (
    TEST_JWT_AUDIENCE,
    TEST_JWT_ISSUER,
    TEST_JWT_SECRET,
    TenantHandle,
    make_settings,
)

from moderation.api.dependencies import forget_credentials
from moderation.domain.models import Scope
from moderation.domain.services import TenantService
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine

MakeTenant = Callable[..., Awaitable[TenantHandle]]
PROBLEM_JSON = "application/problem+json"
CONTENT = "/api/v1/content"
REDIS_URL = "redis://127.0.0.1:6379/0"


@asynccontextmanager
async def _serving(
    database_url: str, engine: Engine, **overrides: object
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """An app with non-default settings, started, with a client on it."""
    app = create_app(make_settings(database_url, **overrides), engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield app, client
    forget_credentials()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _claims(tenant_id: uuid.UUID, **overrides: object) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "reviewer-1",
        "tenant_id": str(tenant_id),
        "scope": "content:read moderate",
        "iat": now,
        "exp": now + 600,
        "aud": TEST_JWT_AUDIENCE,
        "iss": TEST_JWT_ISSUER,
    }
    claims.update(overrides)
    return claims


def _assert_unauthorized(response: httpx.Response, detail: str | None = None) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Unauthorized"
    if detail is not None:
        assert body["detail"] == detail


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- JWT ---------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_issued_hs256_token_grants_exactly_its_scopes(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    token = app.state.resources.jwt.issue("alice", tenant.id, [Scope.CONTENT_READ])

    listed = await client.get(CONTENT, headers=_bearer(token))
    scored = await client.post(
        "/api/v1/moderate", headers=_bearer(token), json={"items": [{"id": "1", "text": "hi"}]}
    )

    assert listed.status_code == 200, listed.text
    assert scored.status_code == 403
    assert scored.headers["content-type"] == PROBLEM_JSON
    assert "moderate" in scored.json()["detail"]


@pytest.mark.asyncio
async def test_pyjwt_token_with_scope_list_acts_as_a_user_of_its_tenant(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    claims = _claims(tenant.id, scope=None, scopes=["content:write", "content:read", "openid"])
    del claims["scope"]
    token = jwt.encode(claims, TEST_JWT_SECRET, algorithm="HS256")

    created = await client.post(
        CONTENT,
        headers=_bearer(token),
        json={"title": "t", "body": "hello there", "content_type": "text", "author_id": "a"},
    )
    listed = await client.get(CONTENT, headers=tenant.headers)

    assert created.status_code == 201, created.text
    # The token's tenant, not anything in the body, owns the item.
    assert [item["id"] for item in listed.json()["items"]] == [created.json()["id"]]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("case", "detail"),
    [
        ("expired", "token expired"),
        ("bad_signature", "invalid token signature"),
        ("unknown_tenant", "unknown tenant"),
        ("alg_none", "unsupported token algorithm"),
        ("no_tenant", "token lacks the 'tenant_id' claim"),
        ("garbage", "invalid token"),
        ("no_iat", "token lacks the 'iat' claim"),
        ("too_long_lived", "token lifetime exceeds the 86400 s maximum"),
        ("not_yet_valid", "token not yet valid"),
        ("no_audience", "token lacks the 'aud' claim"),
        ("other_issuer", "invalid token issuer"),
    ],
)
async def test_bad_jwts_are_401_problems(
    client: httpx.AsyncClient, tenant: TenantHandle, case: str, detail: str
) -> None:
    other_secret = secrets.token_urlsafe(48)
    tokens: dict[str, Callable[[], str]] = {
        "expired": lambda: jwt.encode(
            _claims(tenant.id, exp=int(time.time()) - 300), TEST_JWT_SECRET, algorithm="HS256"
        ),
        "bad_signature": lambda: jwt.encode(_claims(tenant.id), other_secret, algorithm="HS256"),
        "unknown_tenant": lambda: jwt.encode(
            _claims(uuid.uuid4()), TEST_JWT_SECRET, algorithm="HS256"
        ),
        "alg_none": lambda: jwt.encode(_claims(tenant.id), "", algorithm="none"),
        "no_tenant": lambda: jwt.encode(
            {k: v for k, v in _claims(tenant.id).items() if k != "tenant_id"},
            TEST_JWT_SECRET,
            algorithm="HS256",
        ),
        "garbage": lambda: "not.a.jwt",
        "no_iat": lambda: jwt.encode(
            {k: v for k, v in _claims(tenant.id).items() if k != "iat"},
            TEST_JWT_SECRET,
            algorithm="HS256",
        ),
        "too_long_lived": lambda: jwt.encode(
            _claims(tenant.id, exp=int(time.time()) + 86_401), TEST_JWT_SECRET, algorithm="HS256"
        ),
        "not_yet_valid": lambda: jwt.encode(
            _claims(tenant.id, nbf=int(time.time()) + 300), TEST_JWT_SECRET, algorithm="HS256"
        ),
        "no_audience": lambda: jwt.encode(
            {k: v for k, v in _claims(tenant.id).items() if k != "aud"},
            TEST_JWT_SECRET,
            algorithm="HS256",
        ),
        "other_issuer": lambda: jwt.encode(
            _claims(tenant.id, iss="https://evil.example"), TEST_JWT_SECRET, algorithm="HS256"
        ),
    }

    response = await client.get(CONTENT, headers=_bearer(tokens[case]()))

    assert response.status_code == 401
    _assert_unauthorized(response, detail)


@pytest.mark.asyncio
async def test_missing_or_malformed_credentials_are_401(client: httpx.AsyncClient) -> None:
    missing = await client.get(CONTENT)
    wrong_key = await client.get(CONTENT, headers=_bearer("mod_abcdefghijkl_" + "x" * 43))
    basic = await client.get(CONTENT, headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert {missing.status_code, wrong_key.status_code, basic.status_code} == {401}
    _assert_unauthorized(missing, "missing bearer credential")
    _assert_unauthorized(wrong_key, "invalid API key")
    _assert_unauthorized(basic)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "raw",
    [
        b"Bearer \xe9",
        b"Bearer mod_\xe9\xe9",
        b"Bearer eyJhbGciOiJIUzI1NiJ9\xe9.e30.c2ln",
        b"Bearer " + b"\xff" * 3,
    ],
)
async def test_a_non_ascii_bearer_is_a_401_problem(client: httpx.AsyncClient, raw: bytes) -> None:
    # Raw latin-1 bytes, as a broken client sends them; never a 500.
    response = await client.get(CONTENT, headers=[(b"authorization", raw)])

    _assert_unauthorized(response)


@pytest.mark.asyncio
async def test_rs256_tokens_verify_with_the_configured_public_key(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tenant = await make_tenant()
    claims = _claims(tenant.id)
    good = jwt.encode(claims, private_key, algorithm="RS256")
    forged = jwt.encode(claims, stranger, algorithm="RS256")
    # Algorithm confusion: the public key (which anyone has) used as an HMAC secret.
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    signing_input = f"{header}.{_b64(json.dumps(claims).encode())}"
    mac = hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    confused = f"{signing_input}.{_b64(mac)}"

    async with _serving(database_url, tiny_engine, jwt_public_key=public_pem) as (app, client):
        assert app.state.resources.jwt.algorithms == {"HS256", "RS256"}
        accepted = await client.get(CONTENT, headers=_bearer(good))
        _assert_unauthorized(await client.get(CONTENT, headers=_bearer(forged)))
        _assert_unauthorized(await client.get(CONTENT, headers=_bearer(confused)))

    assert accepted.status_code == 200, accepted.text


# --- API keys ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_revoked_key_is_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    assert (await client.get(CONTENT, headers=tenant.headers)).status_code == 200
    async with app.state.resources.database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        [key] = await service.list_keys(tenant.name)
        await service.revoke_key(str(key.id))
    # Verified keys are cached for a few seconds; drop them instead of waiting.
    forget_credentials()

    response = await client.get(CONTENT, headers=tenant.headers)

    _assert_unauthorized(response, "API key revoked")


# --- rate limits -------------------------------------------------------------------------------


def _assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert response.json()["status"] == 429
    assert response.json()["type"].endswith("/rate-limited")


@pytest.mark.asyncio
async def test_in_process_rate_limit_is_per_key(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    first, second = await make_tenant(), await make_tenant()
    async with _serving(database_url, tiny_engine, rate_limit_per_minute=3) as (app, client):
        allowed = [(await client.get(CONTENT, headers=first.headers)).status_code for _ in range(3)]
        limited = await client.get(CONTENT, headers=first.headers)
        other = await client.get(CONTENT, headers=second.headers)
        metrics = app.state.resources.metrics.render()[0].decode()

    assert allowed == [200, 200, 200]
    _assert_rate_limited(limited)
    assert other.status_code == 200
    assert "moderation_rate_limited_total 1.0" in metrics


@pytest.mark.asyncio
async def test_redis_rate_limit_is_shared_between_replicas(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    settings = {"rate_limit_per_minute": 3, "redis_url": REDIS_URL}
    async with (
        _serving(database_url, tiny_engine, **settings) as (one, first),
        _serving(database_url, tiny_engine, **settings) as (_, second),
    ):
        statuses = [
            (await first.get(CONTENT, headers=tenant.headers)).status_code,
            (await second.get(CONTENT, headers=tenant.headers)).status_code,
            (await first.get(CONTENT, headers=tenant.headers)).status_code,
        ]
        # Each replica has seen at most two requests; only a shared count reaches the limit.
        limited = await second.get(CONTENT, headers=tenant.headers)
        degraded = one.state.resources.rate_limiter.degraded

    assert statuses == [200, 200, 200]
    assert degraded is False
    _assert_rate_limited(limited)


# --- body limit, headers, CORS -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_body_over_the_limit_is_413(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    body = {"title": "t", "body": "x" * 3000, "content_type": "text", "author_id": "a"}

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b"x" * 1000

    async with _serving(database_url, tiny_engine, max_body_bytes=2048) as (_, client):
        declared = await client.post(CONTENT, headers=tenant.headers, json=body)
        streamed = await client.post(CONTENT, headers=tenant.headers, content=chunks())
        small = await client.post(
            CONTENT, headers=tenant.headers, json={**body, "body": "a small body"}
        )

    for response in (declared, streamed):
        assert response.status_code == 413, response.text
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.json()["max_bytes"] == 2048
        assert response.headers["x-content-type-options"] == "nosniff"
    assert small.status_code == 201


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/health/live", CONTENT])
async def test_security_headers_on_success_and_error(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    assert response.status_code in {200, 401}
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"


@pytest.mark.asyncio
async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/health/live", headers={"X-Request-ID": "req-42.abc"})
    generated = await client.get("/health/live")
    injected = await client.get("/health/live", headers={"X-Request-ID": "bad id\twith tab"})

    assert echoed.headers["x-request-id"] == "req-42.abc"
    assert len(generated.headers["x-request-id"]) == 32
    int(generated.headers["x-request-id"], 16)
    assert injected.headers["x-request-id"] != "bad id\twith tab"
    assert len(injected.headers["x-request-id"]) == 32


@pytest.mark.asyncio
async def test_cors_is_off_by_default(client: httpx.AsyncClient, tenant: TenantHandle) -> None:
    origin = {"Origin": "https://evil.example"}
    simple = await client.get(CONTENT, headers={**tenant.headers, **origin})
    preflight = await client.options(
        CONTENT, headers={**origin, "Access-Control-Request-Method": "POST"}
    )

    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code == 405


@pytest.mark.asyncio
async def test_cors_allows_only_configured_origins(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    allowed = "https://reviewer.example"
    async with _serving(database_url, tiny_engine, cors_origins=[allowed]) as (_, client):
        simple = await client.get(CONTENT, headers={**tenant.headers, "Origin": allowed})
        preflight = await client.options(
            CONTENT,
            headers={
                "Origin": allowed,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Authorization, Content-Type",
            },
        )
        foreign = await client.get(
            CONTENT, headers={**tenant.headers, "Origin": "https://evil.example"}
        )

    assert simple.headers["access-control-allow-origin"] == allowed
    assert "X-Request-ID" in simple.headers["access-control-expose-headers"]
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == allowed
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in foreign.headers


# --- router errors -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_unknown_route_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["title"] == "Not Found"
    assert response.json()["instance"] == "/api/v1/nothing-here"


@pytest.mark.asyncio
async def test_wrong_method_is_a_405_problem_listing_allowed_methods(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.delete("/api/v1/policy", headers=tenant.headers)

    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["status"] == 405
    assert {"GET", "PUT"} <= {m.strip() for m in response.headers["allow"].split(",")}
