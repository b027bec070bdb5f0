import json
import logging
import re
import uuid
from collections.abc import Iterator

import httpx
import pytest
import structlog
from fastapi import FastAPI, Request
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from moderation.api.middleware import RequestContextMiddleware
from moderation.core.logging import configure_logging

TENANT = uuid.UUID("00000000-0000-4000-8000-000000000001")


@pytest.fixture(autouse=True)
def _json_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    saved = structlog.get_config()
    configure_logging("INFO")
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    structlog.configure(**saved)
    structlog.contextvars.clear_contextvars()


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/whoami")
    async def whoami(request: Request) -> dict[str, object]:
        return {
            "request_id": request.state.request_id,
            "bound": structlog.contextvars.get_contextvars().get("request_id"),
        }

    @app.get("/tenant")
    async def tenant(request: Request) -> dict[str, str]:
        request.state.tenant_id = TENANT
        return {}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hi")
        await websocket.close()

    app.add_middleware(RequestContextMiddleware)
    return app


def _client(app: FastAPI, *, raise_app_exceptions: bool = True) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    return httpx.AsyncClient(transport=transport, base_url="http://t")


def _access_lines(out: str) -> list[dict[str, object]]:
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return [line for line in lines if line["event"] == "http.request"]


@pytest.mark.asyncio
async def test_well_formed_request_id_is_kept_bound_and_echoed() -> None:
    async with _client(_app()) as client:
        response = await client.get("/whoami", headers={"X-Request-ID": "abc-123:x.y_z"})

    assert response.headers["x-request-id"] == "abc-123:x.y_z"
    assert response.json() == {"request_id": "abc-123:x.y_z", "bound": "abc-123:x.y_z"}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "bad",
    ["has space", 'quote"}', "a" * 129, "semi;colon", "", "ünïcode"],
)
async def test_malformed_request_id_is_replaced(bad: str) -> None:
    async with _client(_app()) as client:
        response = await client.get("/whoami", headers={b"X-Request-ID": bad.encode()})

    echoed = response.headers["x-request-id"]
    assert echoed != bad
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)
    assert response.json()["request_id"] == echoed


@pytest.mark.asyncio
async def test_missing_request_id_is_generated_fresh_per_request() -> None:
    async with _client(_app()) as client:
        first = await client.get("/whoami")
        second = await client.get("/whoami")

    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


@pytest.mark.asyncio
async def test_access_line_is_json_with_request_id_and_tenant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with _client(_app()) as client:
        await client.get("/tenant?x=1", headers={"X-Request-ID": "req-42"})

    (line,) = _access_lines(capsys.readouterr().out)
    assert line["request_id"] == "req-42"
    assert line["method"] == "GET"
    assert line["path"] == "/tenant"
    assert line["status"] == 200
    assert line["tenant_id"] == str(TENANT)
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    # Nothing bound for the request survives it.
    assert structlog.contextvars.get_contextvars() == {}


@pytest.mark.asyncio
async def test_access_line_omits_tenant_when_none_was_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with _client(_app()) as client:
        await client.get("/missing")

    (line,) = _access_lines(capsys.readouterr().out)
    assert line["status"] == 404
    assert "tenant_id" not in line


@pytest.mark.asyncio
async def test_app_error_is_logged_as_500(capsys: pytest.CaptureFixture[str]) -> None:
    async with _client(_app(), raise_app_exceptions=False) as client:
        response = await client.get("/boom")

    assert response.status_code == 500
    (line,) = _access_lines(capsys.readouterr().out)
    assert line["status"] == 500
    assert line["path"] == "/boom"


def test_websocket_passes_through(capsys: pytest.CaptureFixture[str]) -> None:
    with TestClient(_app()) as client, client.websocket_connect("/ws") as websocket:
        assert websocket.receive_text() == "hi"

    assert _access_lines(capsys.readouterr().out) == []


@pytest.mark.asyncio
async def test_lifespan_scope_passes_through_untouched() -> None:
    seen: list[Scope] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)

    async def receive() -> Message:
        return {"type": "lifespan.startup"}

    async def send(message: Message) -> None:
        return None

    scope: Scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
    await RequestContextMiddleware(inner)(scope, receive, send)

    assert seen == [{"type": "lifespan", "asgi": {"version": "3.0"}}]
