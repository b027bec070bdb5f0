from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from moderation.api.middleware import BodyLimitMiddleware, VendorEnvelopeMiddleware


async def _echo(request: Request) -> Response:
    return PlainTextResponse(await request.body())


def _client() -> TestClient:
    routes = [Route(path, _echo, methods=["POST"]) for path in ("/v1/moderations", "/api/x")]
    app = Starlette(routes=routes)
    app.add_middleware(BodyLimitMiddleware, max_bytes=1024)
    app.add_middleware(VendorEnvelopeMiddleware)
    return TestClient(app)


def test_a_413_from_middleware_leaves_in_the_vendors_envelope() -> None:
    response = _client().post("/v1/moderations", content=b"x" * 2000)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    assert "exceeds the limit of 1024 bytes" in response.json()["error"]["message"]
    assert int(response.headers["content-length"]) == len(response.content)


def test_other_paths_and_successes_pass_through() -> None:
    client = _client()
    assert (
        client.post("/api/x", content=b"x" * 2000)
        .headers["content-type"]
        .startswith("application/problem+json")
    )
    assert client.post("/v1/moderations", content=b"hello").text == "hello"
