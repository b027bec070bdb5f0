from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel
from starlette.types import Message, Receive, Scope, Send

from moderation.api.middleware import BodyLimitMiddleware

LIMIT = 64
PROBLEM_TYPE = "https://monocto.dev/problems/payload-too-large"


class Item(BaseModel):
    text: str


def _app(calls: list[str]) -> FastAPI:
    app = FastAPI()

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        body = await request.body()
        calls.append("raw")
        return {"size": len(body)}

    @app.post("/model")
    async def model(item: Item) -> dict[str, int]:
        calls.append("model")
        return {"size": len(item.text)}

    app.add_middleware(BodyLimitMiddleware, max_bytes=LIMIT)
    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def _chunks(total: int, size: int = 16) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        chunk = b"x" * min(size, total - sent)
        sent += len(chunk)
        yield chunk


def _assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == PROBLEM_TYPE
    assert body["status"] == 413
    assert body["max_bytes"] == LIMIT


@pytest.mark.asyncio
async def test_body_within_limit_reaches_the_app() -> None:
    calls: list[str] = []
    async with _client(_app(calls)) as client:
        response = await client.post("/raw", content=b"x" * LIMIT)

    assert response.status_code == 200
    assert response.json() == {"size": LIMIT}
    assert calls == ["raw"]


@pytest.mark.asyncio
async def test_declared_length_over_limit_is_rejected_before_the_app() -> None:
    calls: list[str] = []
    async with _client(_app(calls)) as client:
        response = await client.post("/raw", content=b"x" * (LIMIT + 1))

    _assert_too_large(response)
    assert response.json()["instance"] == "/raw"
    assert calls == []


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/raw", "/model"])
async def test_streamed_body_over_limit_is_rejected_while_read(path: str) -> None:
    calls: list[str] = []
    async with _client(_app(calls)) as client:
        response = await client.post(
            path, content=_chunks(LIMIT * 4), headers={"Content-Type": "application/json"}
        )

    # /model would otherwise become FastAPI's own 400 "error parsing the body".
    _assert_too_large(response)
    assert calls == []


@pytest.mark.asyncio
async def test_streamed_body_within_limit_is_read_whole() -> None:
    calls: list[str] = []
    async with _client(_app(calls)) as client:
        response = await client.post("/raw", content=_chunks(LIMIT))

    assert response.status_code == 200
    assert response.json() == {"size": LIMIT}


async def _call(middleware: BodyLimitMiddleware, scope: Scope, body: list[bytes]) -> list[Message]:
    pending = [
        {"type": "http.request", "body": chunk, "more_body": i < len(body) - 1}
        for i, chunk in enumerate(body)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await middleware(scope, receive, send)
    return sent


def _http_scope(headers: list[tuple[bytes, bytes]]) -> Scope:
    return {"type": "http", "method": "POST", "path": "/raw", "headers": headers}


async def _never_called(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("the app must not run")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "headers",
    [
        [(b"content-length", b"abc")],
        [(b"content-length", b"-1")],
        [(b"content-length", b"1_0")],
        [(b"content-length", b"3"), (b"content-length", b"4")],
    ],
)
async def test_invalid_content_length_is_a_400_problem(headers: list[tuple[bytes, bytes]]) -> None:
    sent = await _call(BodyLimitMiddleware(_never_called, LIMIT), _http_scope(headers), [b""])

    assert sent[0]["status"] == 400
    assert (b"content-type", b"application/problem+json") in sent[0]["headers"]


@pytest.mark.asyncio
async def test_overflow_after_response_started_just_stops() -> None:
    reached_end = False

    async def streaming_echo(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal reached_end
        await send({"type": "http.response.start", "status": 200, "headers": []})
        while (await receive()).get("more_body"):
            await send({"type": "http.response.body", "body": b".", "more_body": True})
        reached_end = True

    middleware = BodyLimitMiddleware(streaming_echo, LIMIT)
    sent = await _call(middleware, _http_scope([]), [b"x" * 40, b"x" * 40, b"x"])

    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [200]
    assert not reached_end
    # Nothing the app tried after the overflow went out.
    assert len(sent) == 2


@pytest.mark.asyncio
async def test_non_http_scopes_pass_through() -> None:
    seen: list[str] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    await _call(BodyLimitMiddleware(inner, LIMIT), {"type": "lifespan"}, [])

    assert seen == ["lifespan"]


def test_negative_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        BodyLimitMiddleware(_never_called, -1)


@pytest.mark.asyncio
async def test_a_path_with_its_own_limit_accepts_larger_bodies_up_to_that_limit() -> None:
    app = FastAPI()

    @app.post("/upload")
    async def upload(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    app.add_middleware(BodyLimitMiddleware, max_bytes=LIMIT, path_limits={"/upload": 4 * LIMIT})
    async with _client(app) as client:
        big = await client.post("/upload", content=_chunks(3 * LIMIT))
        too_big = await client.post("/upload", content=b"x" * (4 * LIMIT + 1))
        elsewhere = await client.post("/raw", content=b"x" * (3 * LIMIT))

    assert big.json() == {"size": 3 * LIMIT}
    assert too_big.status_code == 413
    assert too_big.json()["max_bytes"] == 4 * LIMIT
    _assert_too_large(elsewhere)
