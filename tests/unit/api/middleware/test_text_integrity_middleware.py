import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel

from moderation.api.exception_handlers import register_exception_handlers
from moderation.api.middleware import TextIntegrityMiddleware
from moderation.api.middleware import text_integrity_middleware as module

LIMIT = 4096


class Item(BaseModel):
    t: str


def _app(seen: list[Any]) -> FastAPI:
    app = FastAPI()
    register_exception_handlers(app)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, Any]:
        body = await request.json()
        seen.append(body)
        return {"ok": True}

    @app.post("/model")
    async def model(item: Item) -> dict[str, str]:
        seen.append(item.t)
        return {}

    @app.post("/upload")
    async def upload(request: Request) -> dict[str, int]:
        body = await request.body()
        seen.append(body)
        return {"size": len(body)}

    @app.get("/items")
    async def items(request: Request) -> dict[str, str]:
        seen.append(dict(request.query_params))
        return {}

    app.add_middleware(TextIntegrityMiddleware, max_inspect_bytes=LIMIT, skip_paths={"/upload"})
    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def _post(
    raw: bytes, path: str = "/echo", **headers: str
) -> tuple[httpx.Response, list[Any]]:
    seen: list[Any] = []
    async with _client(_app(seen)) as client:
        response = await client.post(
            path, content=raw, headers={"content-type": "application/json", **headers}
        )
    return response, seen


def _refused(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "https://monocto.dev/problems/invalid-request"
    errors: list[dict[str, Any]] = body["errors"]
    return errors


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("raw", "location", "pointer", "type_"),
    [
        (rb'{"title": "a\u0000b"}', ["body", "title"], "/title", "nul_character"),
        (
            rb'{"m": {"k": ["x", "\ud800"]}}',
            ["body", "m", "k", "1"],
            "/m/k/1",
            "unpaired_surrogate",
        ),
        (rb'{"t": "\uDBFF"}', ["body", "t"], "/t", "unpaired_surrogate"),
        (rb'{"t": "\udc00 after"}', ["body", "t"], "/t", "unpaired_surrogate"),
        # A pair the wrong way round is two lone surrogates.
        (rb'{"t": "\ude00\ud83d"}', ["body", "t"], "/t", "unpaired_surrogate"),
        # Raw surrogate bytes (CESU-8), which Python's JSON decoder lets through.
        (b'{"t": "\xed\xa0\x80"}', ["body", "t"], "/t", "unpaired_surrogate"),
        (rb'{"a/b~c": "\u0000"}', ["body", "a/b~c"], "/a~1b~0c", "nul_character"),
        # Two escaped backslashes, then a real NUL escape.
        (rb'{"t": "\\\\\u0000"}', ["body", "t"], "/t", "nul_character"),
    ],
)
async def test_unstorable_text_in_a_json_body_is_a_422_naming_its_place(
    raw: bytes, location: list[str], pointer: str, type_: str
) -> None:
    response, seen = await _post(raw)

    [error] = _refused(response)
    assert error["location"] == location
    assert error["pointer"] == pointer
    assert error["type"] == type_
    assert seen == []


@pytest.mark.asyncio
async def test_several_places_are_reported_in_document_order() -> None:
    raw = rb'{"a": "\u0000", "b": ["ok", "\ud800", "\u0000"], "c": {"d": "\u0000"}}'

    response, _ = await _post(raw)

    pointers = [error["pointer"] for error in _refused(response)]
    assert pointers == ["/a", "/b/1", "/b/2", "/c/d"]


@pytest.mark.asyncio
async def test_a_member_name_with_nul_is_named_in_printable_form() -> None:
    response, _ = await _post(rb'{"meta": {"k\u0000": 1}}')

    [error] = _refused(response)
    assert error["location"] == ["body", "meta", "k\ufffd"]
    assert error["message"].startswith("a member name")


@pytest.mark.asyncio
async def test_a_utf16_body_is_inspected_too() -> None:
    raw = '{"t": "\\u0000"}'.encode("utf-16")

    response, _ = await _post(raw)

    assert _refused(response)[0]["location"] == ["body", "t"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # An escaped backslash, then the letters u0000: a literal text, not a NUL.
        (rb'{"t": "C:\\u0000"}', {"t": "C:\\u0000"}),
        (rb'{"t": "\\\\u0000"}', {"t": "\\\\u0000"}),
        (rb'{"t": "smile \ud83d\ude00"}', {"t": "smile \U0001f600"}),
        (rb'{"t": "\uD83D\uDE00"}', {"t": "\U0001f600"}),
        ('{"t": "raw \U0001f600 and ü"}'.encode(), {"t": "raw \U0001f600 and ü"}),
    ],
)
async def test_legitimate_text_reaches_the_app_intact(raw: bytes, expected: object) -> None:
    response, seen = await _post(raw)

    assert response.status_code == 200, response.text
    assert seen == [expected]


@pytest.mark.asyncio
async def test_a_body_without_a_suspect_escape_is_not_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed on the hot path")

    monkeypatch.setattr(module, "_walk", refuse)
    seen: list[Any] = []
    app = FastAPI()

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, int]:
        seen.append(await request.body())
        return {}

    app.add_middleware(TextIntegrityMiddleware, max_inspect_bytes=LIMIT)
    async with _client(app) as client:
        response = await client.post("/raw", json={"t": "plain \U0001f600 text", "n": [1, 2]})
        with pytest.raises(AssertionError, match="hot path"):
            await client.post("/raw", json={"t": "\x00"})

    assert response.status_code == 200
    assert len(seen) == 1


@pytest.mark.asyncio
async def test_streamed_chunks_are_inspected_and_replayed_whole() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"t": "fine",'
        yield b' "u": "also fine"}'

    seen: list[Any] = []
    async with _client(_app(seen)) as client:
        response = await client.post(
            "/echo", content=chunks(), headers={"content-type": "application/json"}
        )

    assert response.status_code == 200
    assert seen == [{"t": "fine", "u": "also fine"}]


@pytest.mark.asyncio
async def test_bodies_it_does_not_inspect_pass_through() -> None:
    nul = rb'{"t": "\u0000"}'
    big = b'{"t": "' + b"x" * LIMIT + rb'\u0000"}'

    other_type, seen_text = await _post(nul, **{"content-type": "text/plain"})
    skipped, seen_upload = await _post(nul, path="/upload")
    oversized, seen_big = await _post(big)

    # text/plain is not decoded as JSON by FastAPI; /upload is a streamed path; the oversized
    # body is left to the body limit in front of this middleware.
    assert (other_type.status_code, seen_text) == (200, [{"t": "\x00"}])
    assert (skipped.status_code, seen_upload) == (200, [nul])
    assert (oversized.status_code, len(seen_big)) == (200, 1)


@pytest.mark.asyncio
async def test_invalid_json_is_left_to_the_route() -> None:
    response, _ = await _post(rb'{"t": "\u0000"', path="/model")

    # FastAPI's own answer to a body it cannot decode, not this middleware's.
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "json_invalid"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("query", "name", "type_"),
    [
        ("author_id=%00", "author_id", "nul_character"),
        ("tag=ok&author_id=a%00b", "author_id", "nul_character"),
        ("tag=%ff", "tag", "invalid_utf8"),
        ("tag=%ED%A0%80", "tag", "invalid_utf8"),
        ("ta%00g=x", "ta\ufffdg", "nul_character"),
    ],
)
async def test_query_parameters_with_nul_or_invalid_utf8_are_named(
    query: str, name: str, type_: str
) -> None:
    seen: list[Any] = []
    async with _client(_app(seen)) as client:
        response = await client.get(f"/items?{query}")

    [error] = _refused(response)
    assert error["location"] == ["query", name]
    assert error["type"] == type_
    assert seen == []


@pytest.mark.asyncio
async def test_ordinary_query_strings_pass() -> None:
    seen: list[Any] = []
    async with _client(_app(seen)) as client:
        response = await client.get("/items", params={"tag": "café \U0001f600", "q": "a+b&c"})

    assert response.status_code == 200
    assert seen == [{"tag": "café \U0001f600", "q": "a+b&c"}]


@pytest.mark.asyncio
async def test_nul_in_the_path_or_a_header_is_refused() -> None:
    seen: list[Any] = []
    async with _client(_app(seen)) as client:
        in_path = await client.get("/items%00")
        in_header = await client.get("/items", headers={"Idempotency-Key": "a\x00b"})

    assert _refused(in_path)[0]["location"] == ["path"]
    assert _refused(in_header)[0]["location"] == ["header", "idempotency-key"]
    assert seen == []


def test_scan_finds_only_unpaired_or_nul_escapes() -> None:
    suspect = module._suspect
    assert not suspect(json.dumps({"t": "\U0001f600 \ud55c\uae00" * 50}).encode())
    assert not suspect(json.dumps({"t": "\ud55c\uae00"}, ensure_ascii=False).encode())
    for text in ("\x00", "\ud800", "\udfff", "\ude00\ud83d", "\ud83d\ud83d\ude00"):
        assert suspect(json.dumps({"t": text}).encode()), repr(text)
