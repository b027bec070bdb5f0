"""Fuzz the API from its own OpenAPI document with schemathesis: no input may produce a 5xx,
and every response must be one the document declares (status code, content type including
application/problem+json, body schema, headers).

The schema is loaded at import, so schemathesis can parametrize one test per operation; the
app it drives needs fixtures (the trained test model, a tenant's key), so requests go through
a small ASGI proxy that the `fuzzed_app` fixture binds. The app runs on SQLite and on
PostgreSQL: the two refuse different inputs (PostgreSQL refuses NUL in text and jsonb), and an
input either database refuses must be a 4xx, never a 500.
"""

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.python.asgi import get_client, shutdown_lifespans
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from tests.integration.api.support import ALL_SCOPES, make_settings, scratch_postgresql

from moderation.api.dependencies import forget_credentials
from moderation.api.vendor_envelopes import envelope_for
from moderation.domain.services import TenantService
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine

MAX_EXAMPLES = 25
# Generated cases sent again with text no database stores in every string (the fuzzer's own
# strings are UTF-8 and rarely NUL): per operation and database, once with each character.
POISONED_PER_OPERATION = 3
POISONS = ("\x00", "\ud800")


class _LateBoundApp:
    """An ASGI app that forwards to the app the `fuzzed_app` fixture binds.

    Schemathesis's pytest plugin ends every lifespan after each test, and the next request
    starts the app's lifespan again: fresh resources whose models load in the background. A
    real server would answer 503 until then; here the startup is held until the app is ready,
    so each test fuzzes a loaded app rather than racing its loader."""

    def __init__(self) -> None:
        self.target: FastAPI | None = None

    # Typed loosely: it sits between schemathesis's and Starlette's spellings of the ASGI types.
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        target = self.target
        assert target is not None, "only the fuzzed_app fixture's app is fuzzed"
        if scope["type"] != "lifespan":
            await target(scope, receive, send)
            return

        async def send_when_ready(message: Any) -> None:
            if message["type"] == "lifespan.startup.complete":
                await _until_ready(target)
            await send(message)

        await target(scope, receive, send_when_ready)


def _without_null_parameters(document: dict[str, Any]) -> dict[str, Any]:
    """FastAPI documents an optional header or query parameter as `anyOf: [T, null]`, but a
    header or query string cannot carry JSON null: leaving the parameter out is how a client
    says "none". Left as is, the fuzzer sends the text "null" as if it were a valid T."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                variants = parameter["schema"].get("anyOf", [])
                kept = [v for v in variants if v.get("type") != "null"]
                if len(kept) == 1 and len(variants) == 2:
                    del parameter["schema"]["anyOf"]
                    parameter["schema"].update(kept[0])
    return document


_PROXY = _LateBoundApp()
_DOCUMENT = create_app(make_settings("sqlite+aiosqlite://")).openapi()
# Import uploads are raw JSON Lines: sent as the text generated for them (text/csv already is).
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
schema = schemathesis.openapi.from_dict(_without_null_parameters(_DOCUMENT))
schema.app = _PROXY
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)


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


async def _until_ready(app: FastAPI, timeout: float = 30.0) -> None:
    resources = app.state.resources
    try:
        await asyncio.wait_for(resources.ready.wait(), timeout)
    except TimeoutError:
        raise AssertionError(f"the app did not become ready: {resources.startup_error}") from None


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed_app(
    request: pytest.FixtureRequest, tiny_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    # Module scope: every operation is fuzzed on one database, then all again on the other.
    if request.param == "postgresql":
        with scratch_postgresql("moderation_fuzz") as url:
            yield from _serving(url, tiny_engine, request.param)
        return
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    Migrator(url).upgrade()
    yield from _serving(url, tiny_engine, request.param)


def _serving(url: str, tiny_engine: Engine, name: str) -> Iterator[FastAPI]:
    key = asyncio.run(_create_tenant_key(url))
    app = create_app(make_settings(url, webhooks_enabled=False), engine=tiny_engine)
    app.state.fuzz_key = key
    app.state.fuzz_database = name
    app.state.poisoned = {}
    _PROXY.target = app
    # Entering a schemathesis ASGI client starts the app's lifespan on schemathesis's event
    # loop thread, where every fuzzed request then runs.
    with get_client(_PROXY):
        assert app.state.resources.ready.is_set()
    yield app
    shutdown_lifespans()
    _PROXY.target = None
    forget_credentials()


@schema.parametrize()
def test_every_response_is_documented_and_none_is_a_server_error(
    case: schemathesis.Case[Any], fuzzed_app: FastAPI
) -> None:
    # Two checks are off, because JSON Schema cannot state what the models accept exactly.
    # negative_data_rejection: models coerce leniently on purpose (pydantic's lax mode, e.g.
    # `"spanAnnotations": 0` from Perspective clients). positive_data_acceptance: some rules
    # span fields or need normalising first (reject_at >= flag_at, at most 10 tags after
    # dropping duplicates, non-blank titles), so schema-valid bodies can still be a 422.
    # Every other check runs: no 5xx, documented status codes, content types, schemas, headers.
    headers = {"Authorization": f"Bearer {fuzzed_app.state.fuzz_key}"}
    response = case.call_and_validate(
        headers=headers, excluded_checks=[negative_data_rejection, positive_data_acceptance]
    )
    assert response.status_code < 500
    _call_poisoned(case, fuzzed_app, headers)


def _call_poisoned(case: schemathesis.Case[Any], app: FastAPI, headers: dict[str, str]) -> None:
    """Send `case` again with NUL or a lone surrogate appended to each of its strings: a 422
    naming the place, on either database, whatever the route."""
    sent: dict[str, int] = app.state.poisoned
    count = sent.get(case.operation.label, 0)
    if count >= POISONED_PER_OPERATION * len(POISONS):
        return
    sent[case.operation.label] = count + 1
    poison = POISONS[count % len(POISONS)]
    # Sent outside schemathesis, which re-encodes a case's strings as UTF-8 (no surrogates).
    request = case.as_transport_kwargs(headers=headers)
    poisoned = False
    if isinstance(request.get("json"), dict | list):
        request["json"], poisoned = _poisoned(request["json"], poison)
    # A URL carries a lone surrogate only as invalid UTF-8, which its encoder refuses to write.
    query = request.get("params") or {}
    for name, value in list(query.items()):
        if isinstance(value, str):
            query[name] = value + "\x00"
            poisoned = True
    with get_client(_PROXY) as client:
        response = client.request(**request)
    where = f"{case.operation.label} on {app.state.fuzz_database} with {poison!r}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text}"
    if not poisoned:
        return
    envelope = envelope_for(case.operation.path)
    if envelope is not None:
        # A drop-in route refuses it in its vendor's envelope (Google's and Azure's 400).
        status = envelope(422, {})[0]
        assert response.status_code == status, f"{where}: {response.status_code} {response.text}"
        assert response.json()["error"]["message"], where
        return
    assert response.status_code == 422, f"{where}: {response.status_code} {response.text}"
    assert response.headers["content-type"] == "application/problem+json"


def _poisoned(value: object, poison: str) -> tuple[Any, bool]:
    if isinstance(value, str):
        return value + poison, True
    if isinstance(value, dict):
        pairs = [(key, _poisoned(item, poison)) for key, item in value.items()]
        return {key: item for key, (item, _) in pairs}, any(hit for _, (_, hit) in pairs)
    if isinstance(value, list):
        items = [_poisoned(item, poison) for item in value]
        return [item for item, _ in items], any(hit for _, hit in items)
    return value, False
