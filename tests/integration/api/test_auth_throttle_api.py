"""Failed authentications are throttled per client address, before any lookup; a tenant has a
rate limit of its own across all its credentials."""

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event
from tests.integration.api.support import TenantHandle, make_settings

from moderation.api.dependencies import forget_credentials
from moderation.core.security import generate_api_key
from moderation.domain.models import Scope
from moderation.domain.services import TenantService
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine

MakeTenant = Callable[..., Awaitable[TenantHandle]]
PROBLEM_JSON = "application/problem+json"
CONTENT = "/api/v1/content"
REDIS_URL = "redis://127.0.0.1:6379/0"
ATTACKER = "203.0.113.7"
BYSTANDER = "198.51.100.9"
# Shaped like our keys but belonging to nobody, and never shaped like a key.
MALFORMED = ["guess", "mod_short_key", "a.b", "mod_abcdefghijkl_" + "!" * 43, "x" * 10_000]


@asynccontextmanager
async def _app(database_url: str, engine: Engine, **overrides: object) -> AsyncIterator[FastAPI]:
    app = create_app(make_settings(database_url, **overrides), engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        yield app
    forget_credentials()


@asynccontextmanager
async def _client_from(app: FastAPI, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests come from ``address`` (the ASGI scope's client)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40_000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@contextlib.contextmanager
def _credential_queries(app: FastAPI) -> Iterator[list[str]]:
    """Statements sent to the database that read keys or tenants, while the block runs."""
    statements: list[str] = []
    engine = app.state.resources.database.engine.sync_engine

    def record(_conn: object, _cursor: object, statement: str, *_: Any) -> None:
        if "api_keys" in statement or "tenants" in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _unknown_key() -> str:
    return generate_api_key()[0]


def _assert_refused(response: httpx.Response, limit: str) -> dict[str, Any]:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert 1 <= int(response.headers["retry-after"]) <= 60
    body: dict[str, Any] = response.json()
    assert body["type"].endswith("/rate-limited")
    assert body["limit"] == limit
    return body


async def _another_key(app: FastAPI, tenant: TenantHandle) -> str:
    async with app.state.resources.database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        _, key = await service.create_key(tenant.name, set(Scope), "another")
    return key


@pytest.mark.asyncio
async def test_failed_authentications_are_throttled_per_address_before_any_lookup(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    bystander, found = await make_tenant(), await make_tenant()
    limit = len(MALFORMED) + 2
    async with (
        _app(database_url, tiny_engine, auth_failures_per_minute=limit) as app,
        _client_from(app, ATTACKER) as attacker,
        _client_from(app, BYSTANDER) as other,
    ):
        with _credential_queries(app) as malformed_queries:
            malformed = [await attacker.get(CONTENT, headers=_bearer(t)) for t in MALFORMED]
        with _credential_queries(app) as guess_queries:
            guesses = [await attacker.get(CONTENT, headers=_bearer(_unknown_key())) for _ in "ab"]
        with _credential_queries(app) as throttled_queries:
            throttled = await attacker.get(CONTENT, headers=_bearer(_unknown_key()))
            # A key found mid-stream is no use while the address is throttled.
            found_key = await attacker.get(CONTENT, headers=found.headers)
            also_malformed = await attacker.get(CONTENT, headers=_bearer("guess"))
        bystander_ok = await other.get(CONTENT, headers=bystander.headers)
        bystander_typo = await other.get(CONTENT, headers=_bearer("guess"))

    assert [r.status_code for r in malformed + guesses] == [401] * limit
    # Only a well-shaped key costs a lookup; nothing else reaches the database.
    assert malformed_queries == []
    assert len(guess_queries) >= 2
    body = _assert_refused(throttled, "authentication")
    assert body["limit_per_minute"] == limit
    _assert_refused(found_key, "authentication")
    _assert_refused(also_malformed, "authentication")
    assert throttled_queries == []
    # Other addresses are not affected, neither their valid keys nor their own failures.
    assert bystander_ok.status_code == 200, bystander_ok.text
    assert bystander_typo.status_code == 401


@pytest.mark.asyncio
async def test_a_verified_credential_is_not_counted_as_a_failure(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    async with (
        _app(database_url, tiny_engine, auth_failures_per_minute=2) as app,
        _client_from(app, ATTACKER) as client,
    ):
        statuses = []
        for _ in range(3):
            forget_credentials()  # every request verifies its key again
            statuses.append((await client.get(CONTENT, headers=tenant.headers)).status_code)
        statuses.append((await client.get(CONTENT, headers=_bearer("guess"))).status_code)
        statuses.append((await client.get(CONTENT, headers=_bearer("guess"))).status_code)
        refused = await client.get(CONTENT, headers=_bearer("guess"))

    assert statuses == [200, 200, 200, 401, 401]
    _assert_refused(refused, "authentication")


@pytest.mark.asyncio
async def test_the_failure_budget_is_shared_through_redis_and_per_ipv6_network(
    database_url: str, tiny_engine: Engine
) -> None:
    # A fresh /64 per run: Redis keeps the window from one run to the next.
    network = f"2001:db8:{secrets.randbelow(0xFFFF):x}:{secrets.randbelow(0xFFFF):x}"
    settings = {"auth_failures_per_minute": 3, "redis_url": REDIS_URL}
    async with (
        _app(database_url, tiny_engine, **settings) as one,
        _app(database_url, tiny_engine, **settings) as two,
        _client_from(one, f"{network}::1") as first,
        _client_from(two, f"{network}:0:ffff:1:2") as second,
    ):
        statuses = [
            (await first.get(CONTENT, headers=_bearer("guess"))).status_code,
            (await second.get(CONTENT, headers=_bearer("guess"))).status_code,
            (await first.get(CONTENT, headers=_bearer("guess"))).status_code,
        ]
        # Each replica has seen at most two failures, from two addresses of one /64.
        limited = await second.get(CONTENT, headers=_bearer("guess"))
        degraded = one.state.resources.rate_limiter.degraded

    assert statuses == [401, 401, 401]
    assert degraded is False
    _assert_refused(limited, "authentication")


@pytest.mark.asyncio
async def test_behind_a_trusted_proxy_the_forwarded_client_is_throttled(
    database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    tenant = await make_tenant()
    proxy = "10.1.2.3"
    # The attacker writes its own X-Forwarded-For; the proxy appends the address it saw.
    spoofed = {"X-Forwarded-For": f"192.0.2.{secrets.randbelow(250)}, {ATTACKER}"}
    async with (
        _app(
            database_url, tiny_engine, auth_failures_per_minute=2, trusted_proxies=["10.0.0.0/8"]
        ) as app,
        _client_from(app, proxy) as through_proxy,
    ):
        failures = [
            (await through_proxy.get(CONTENT, headers={**_bearer("guess"), **spoofed})).status_code
            for _ in range(2)
        ]
        refused = await through_proxy.get(CONTENT, headers={**_bearer("guess"), **spoofed})
        bystander = await through_proxy.get(
            CONTENT, headers={**tenant.headers, "X-Forwarded-For": BYSTANDER}
        )

    assert failures == [401, 401]
    _assert_refused(refused, "authentication")
    # The proxy's other clients are not throttled with the attacker.
    assert bystander.status_code == 200, bystander.text


@pytest.mark.asyncio
async def test_a_tenant_has_a_limit_across_all_its_keys(
    app: FastAPI, database_url: str, tiny_engine: Engine, make_tenant: MakeTenant
) -> None:
    busy, quiet = await make_tenant(), await make_tenant()
    keys = [busy.key, await _another_key(app, busy), await _another_key(app, busy)]
    async with (
        _app(
            database_url, tiny_engine, rate_limit_per_minute=3, tenant_rate_limit_per_minute=4
        ) as limited,
        _client_from(limited, BYSTANDER) as client,
    ):
        # Each key stays under its own limit of 3; together they reach the tenant's 4.
        allowed = [
            (await client.get(CONTENT, headers=_bearer(keys[i % 3]))).status_code for i in range(4)
        ]
        refused = await client.get(CONTENT, headers=_bearer(keys[1]))
        quiet_statuses = [
            (await client.get(CONTENT, headers=quiet.headers)).status_code for _ in range(3)
        ]
        quiet_refused = await client.get(CONTENT, headers=quiet.headers)

    assert allowed == [200, 200, 200, 200]
    body = _assert_refused(refused, "tenant")
    assert body["detail"] == "tenant rate limit of 4 requests per minute exceeded"
    # Another tenant is unaffected, and meets its key's own limit first.
    assert quiet_statuses == [200, 200, 200]
    body = _assert_refused(quiet_refused, "credential")
    assert body["limit_per_minute"] == 3
