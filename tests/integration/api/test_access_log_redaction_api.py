"""A Perspective client's `?key=` never reaches the log: served by uvicorn on a real socket, with
uvicorn's own access line switched on, and called through httpx, which logs the URL it requests."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
import pytest_asyncio
import uvicorn
from tests.integration.api.support import TenantHandle

from moderation.core.config import Settings
from moderation.main import create_app
from moderation.ml.engine import Engine

MakeTenant = Callable[..., Awaitable[TenantHandle]]
ANALYZE = "/v1alpha1/comments:analyze"
BODY = {
    "comment": {"text": "Thanks, this fixed my problem!"},
    "requestedAttributes": {"TOXICITY": {}},
}


@pytest_asyncio.fixture
async def served(settings: Settings, tiny_engine: Engine) -> AsyncIterator[str]:
    """The app behind uvicorn on a free port, as `moderation serve` runs it: its base URL."""
    app = create_app(settings, engine=tiny_engine)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, lifespan="on")
    )
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(30):
            while not server.started:
                await asyncio.sleep(0.01)
            await app.state.resources.ready.wait()
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


@pytest.mark.asyncio
async def test_a_perspective_key_in_the_query_is_redacted_in_every_log_line(
    served: str, make_tenant: MakeTenant, capsys: pytest.CaptureFixture[str]
) -> None:
    tenant = await make_tenant()
    wrong = tenant.key[:-4] + "0000"
    # What a deployment that wants uvicorn's own access line would do (the service's logging
    # setup turns it off, as RequestContextMiddleware writes a better one).
    access = logging.getLogger("uvicorn.access")
    level = access.level
    access.setLevel(logging.INFO)
    capsys.readouterr()
    try:
        async with httpx.AsyncClient(base_url=served) as client:
            scored = await client.post(ANALYZE, params={"key": tenant.key}, json=BODY)
            refused = await client.post(
                ANALYZE, params={"key": wrong, "doNotStore": "true"}, json=BODY
            )
        await asyncio.sleep(0)  # uvicorn writes its access line after the response
    finally:
        access.setLevel(level)

    assert scored.status_code == 200, scored.text
    assert refused.status_code == 401
    out = capsys.readouterr().out
    assert tenant.key not in out
    assert wrong not in out
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    by_logger: dict[str, list[str]] = {}
    for line in lines:
        by_logger.setdefault(str(line["logger"]), []).append(json.dumps(line))
    # uvicorn's line and httpx's keep the query, with the key masked; ours has the path only.
    assert len(by_logger["uvicorn.access"]) == 2
    assert all("key=REDACTED" in line for line in by_logger["uvicorn.access"])
    assert "key=REDACTED&doNotStore=true" in by_logger["uvicorn.access"][1]
    assert all("key=REDACTED" in line for line in by_logger["httpx"])
    ours = [line for line in lines if line["event"] == "http.request"]
    assert [(line["path"], line["status"]) for line in ours] == [(ANALYZE, 200), (ANALYZE, 401)]
