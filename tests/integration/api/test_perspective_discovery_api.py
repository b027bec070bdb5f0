"""`GET /$discovery/rest`: the document Google's client library builds its client from."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from googleapiclient import discovery
from tests.integration.api.support import TenantHandle, make_settings

from moderation.api.dependencies import forget_credentials
from moderation.api.perspective import PerspectiveMapper
from moderation.main import create_app
from moderation.ml.engine import Engine

pytestmark = pytest.mark.asyncio

DISCOVERY = "/$discovery/rest"


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    # The document reads no table: one backend is enough.
    return sqlite_url


@asynccontextmanager
async def _serving(
    database_url: str, engine: Engine, **overrides: object
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(database_url, **overrides), engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client
    forget_credentials()


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


async def _document(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get(DISCOVERY, params={"version": "v1alpha1", **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    document: dict[str, Any] = response.json()
    return document


async def test_the_document_describes_both_methods(client: httpx.AsyncClient) -> None:
    document = await _document(client)

    assert document["kind"] == "discovery#restDescription"
    assert (document["name"], document["version"]) == ("commentanalyzer", "v1alpha1")
    assert document["servicePath"] == ""
    key = document["parameters"]["key"]
    assert (key["type"], key["location"]) == ("string", "query")
    methods = document["resources"]["comments"]["methods"]
    assert {name: (m["httpMethod"], m["path"]) for name, m in methods.items()} == {
        "analyze": ("POST", "v1alpha1/comments:analyze"),
        "suggestscore": ("POST", "v1alpha1/comments:suggestscore"),
    }
    assert methods["analyze"]["request"] == {"$ref": "AnalyzeCommentRequest"}
    assert methods["suggestscore"]["response"] == {"$ref": "SuggestCommentScoreResponse"}
    assert set(_refs(document)) <= set(document["schemas"])
    assert "auth" not in document  # no OAuth: the client must not look for Google credentials
    described = document["schemas"]["AnalyzeCommentRequest"]["properties"]
    attributes = described["requestedAttributes"]["description"]
    assert all(name in attributes for name in PerspectiveMapper().attributes())


async def test_root_url_is_where_the_request_arrived(client: httpx.AsyncClient) -> None:
    document = await _document(client)

    assert document["rootUrl"] == "http://testserver/"
    service = discovery.build_from_document(document, developerKey="k")
    call = service.comments().analyze(body={"comment": {"text": "hi"}})
    assert call.uri.startswith("http://testserver/v1alpha1/comments:analyze?")
    assert "key=k" in call.uri


async def test_root_url_is_the_public_base_url_when_set(
    database_url: str, tiny_engine: Engine
) -> None:
    public = "https://moderation.example.com/perspective"
    async with _serving(database_url, tiny_engine, public_base_url=public) as client:
        document = await _document(client)

    assert document["rootUrl"] == f"{public}/"
    service = discovery.build_from_document(document, developerKey="k")
    call = service.comments().suggestscore(body={})
    assert call.uri.startswith(f"{public}/v1alpha1/comments:suggestscore?")


async def test_the_version_defaults_to_the_only_one(client: httpx.AsyncClient) -> None:
    response = await client.get(DISCOVERY)

    assert response.status_code == 200
    assert response.json()["version"] == "v1alpha1"


@pytest.mark.parametrize("version", ["v1", "v1alpha2", "x" * 64])
async def test_an_unknown_version_is_a_404_in_googles_envelope(
    client: httpx.AsyncClient, version: str
) -> None:
    response = await client.get(DISCOVERY, params={"version": version})

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (404, "NOT_FOUND")
    assert "v1alpha1" in error["message"]


async def test_an_overlong_version_is_a_400_in_googles_envelope(client: httpx.AsyncClient) -> None:
    response = await client.get(DISCOVERY, params={"version": "v" * 65})

    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


async def test_the_document_is_public_and_ignores_the_key_sent_with_it(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # Google's client sends its developerKey with the discovery request too.
    for key in (tenant.key, "not-a-key"):
        document = await _document(client, key=key)
        assert document["name"] == "commentanalyzer"


async def test_other_methods_are_refused_in_googles_envelope(client: httpx.AsyncClient) -> None:
    response = await client.post(DISCOVERY, json={})

    assert response.status_code == 405
    assert response.json()["error"]["status"] == "METHOD_NOT_ALLOWED"
