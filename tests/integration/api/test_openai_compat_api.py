"""`POST /v1/moderations` driven by OpenAI's own client library."""

from collections.abc import AsyncIterator
from typing import Any, cast

import httpx
import openai
import pytest
import pytest_asyncio
from fastapi import FastAPI
from openai.types import ModerationTextInputParam
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import TenantHandle

from moderation.api.openai import CATEGORIES, UNSUPPORTED
from moderation.domain.models import Scope

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _client(http: httpx.AsyncClient, key: str) -> openai.AsyncOpenAI:
    # The in-process ASGI transport, handed over as the client's own HTTP client: the openai
    # package types it with its vendored httpx, and only uses the common interface.
    return openai.AsyncOpenAI(
        api_key=key, base_url="http://testserver/v1", http_client=cast(Any, http), max_retries=0
    )


async def test_one_text_comes_back_in_openai_shape(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    client = _client(http, tenant.key)
    raw = await client.moderations.with_raw_response.create(
        model="omni-moderation-latest", input="You are a stupid idiot and everyone hates you."
    )
    response = raw.parse()
    assert response.id.startswith("modr-")
    assert response.model.startswith("monocto-moderation-")
    assert len(response.results) == 1
    result = response.results[0]
    scores = result.category_scores.model_dump(by_alias=True)
    flags = result.categories.model_dump(by_alias=True)
    assert set(scores) == set(CATEGORIES)
    assert set(flags) == set(CATEGORIES)
    assert result.flagged is True
    assert flags["harassment"] is True
    assert scores["harassment"] > 0.3
    for name in UNSUPPORTED:
        assert flags[name] is False
        assert scores[name] == 0.0
    assert raw.headers["monocto-unsupported-categories"] == ", ".join(UNSUPPORTED)


async def test_a_batch_and_text_parts_keep_their_order(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    client = _client(http, tenant.key)
    texts = ["Have a lovely day, friend.", "I will kill you tomorrow, you idiot."]
    batch = await client.moderations.create(input=texts)
    assert [r.flagged for r in batch.results] == [False, True]
    pieces: list[ModerationTextInputParam] = [{"type": "text", "text": t} for t in texts]
    parts = await client.moderations.create(input=pieces)
    assert [r.flagged for r in parts.results] == [False, True]
    assert batch.results[1].categories.violence is True


async def test_a_bad_key_raises_the_clients_authentication_error(
    http: httpx.AsyncClient,
) -> None:
    with pytest.raises(openai.AuthenticationError) as caught:
        await _client(http, "mod_not_a_real_key").moderations.create(input="hello")
    assert caught.value.status_code == 401
    body = caught.value.body
    assert isinstance(body, dict)
    assert body["code"] == "invalid_api_key"


async def test_a_key_without_the_scope_is_refused(
    http: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    reader = await make_tenant(scopes={Scope.CONTENT_READ})
    with pytest.raises(openai.PermissionDeniedError):
        await _client(http, reader.key).moderations.create(input="hello")


@pytest.mark.parametrize(
    "payload",
    [
        {"input": []},
        {"input": ["x"] * 101},
        {"input": "x" * 100_001},
        {"input": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AA=="}}]},
        {"input": 42},
    ],
)
async def test_bad_input_raises_bad_request_in_openai_envelope(
    http: httpx.AsyncClient, tenant: TenantHandle, payload: dict[str, object]
) -> None:
    response = await http.post(
        "/v1/moderations", json=payload, headers={"Authorization": f"Bearer {tenant.key}"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"]
    with pytest.raises(openai.UnprocessableEntityError):
        await _client(http, tenant.key).moderations.create(input=payload["input"])  # type: ignore[arg-type]


async def test_other_routes_keep_problem_json(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/v1/moderate", json={"items": []})
    assert response.headers["content-type"].startswith("application/problem+json")
