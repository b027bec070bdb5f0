"""The Perspective-compatible `POST /v1alpha1/comments:suggestscore`: suggestions are stored
per tenant and read back as the export reads them."""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from tests.integration.api.support import TenantHandle

from moderation.domain.models import Scope, ScoreSuggestion
from moderation.domain.services import ScoreSuggestionService
from moderation.infrastructure.repositories import SqlScoreSuggestionRepository

pytestmark = pytest.mark.asyncio

MakeTenant = Callable[..., Awaitable[TenantHandle]]
SUGGEST = "/v1alpha1/comments:suggestscore"
TEXT = "You are a stupid idiot and I hate you"
TOKEN = "comment-" + "7"


def _suggestion(**extra: Any) -> dict[str, Any]:
    return {
        "comment": {"text": TEXT},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.2}}},
        **extra,
    }


async def _stored(app: FastAPI, tenant_id: UUID, page_size: int = 500) -> list[ScoreSuggestion]:
    async with app.state.resources.database.transaction(write=False) as session:
        service = ScoreSuggestionService(SqlScoreSuggestionRepository(session))
        return [s async for s in service.export(tenant_id, page_size=page_size)]


def _error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == status
    return error


async def test_a_suggestion_is_stored_for_the_tenant(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, make_tenant: MakeTenant
) -> None:
    body = _suggestion(
        attributeScores={
            "TOXICITY": {
                "summaryScore": {"value": 0.2, "type": "PROBABILITY"},
                "spanScores": [{"begin": 0, "end": 21, "score": {"value": 0.3}}],
            },
            "SEVERE_TOXICITY": {"summaryScore": {"value": 0.0}},
        },
        languages=["en"],
        communityId="forum-42",
        clientToken=TOKEN,
        sessionId="ignored",
        context={"entries": [{"text": "an earlier comment"}]},
    )
    response = await client.post(SUGGEST, params={"key": tenant.key}, json=body)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "detectedLanguages": ["en"],
        "requestedLanguages": ["en"],
        "clientToken": TOKEN,
    }
    [stored] = await _stored(app, tenant.id)
    assert stored.text == TEXT
    assert stored.scores == {"TOXICITY": 0.2, "SEVERE_TOXICITY": 0.0}
    assert stored.spans == {"TOXICITY": [(0, 21, 0.3)]}
    assert (stored.community_id, stored.client_token) == ("forum-42", TOKEN)
    assert stored.languages == ["en"]
    assert stored.detected_language == "en"
    assert stored.created_by.startswith("key:")
    assert set(stored.model_scores) == {"TOXICITY", "SEVERE_TOXICITY"}
    assert stored.model_scores["SEVERE_TOXICITY"] <= stored.model_scores["TOXICITY"]
    assert stored.model_version
    other = await make_tenant()
    assert await _stored(app, other.id) == []


async def test_the_export_pages_through_every_suggestion_in_order(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    for value in (0.1, 0.2, 0.3, 0.4, 0.5):
        body = _suggestion(attributeScores={"INSULT": {"summaryScore": {"value": value}}})
        response = await client.post(SUGGEST, headers=tenant.headers, json=body)
        assert response.status_code == 200, response.text

    exported = await _stored(app, tenant.id, page_size=2)

    assert [s.scores["INSULT"] for s in exported] == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert exported[0].languages == []


async def test_an_unknown_attribute_is_a_400_and_nothing_is_stored(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    body = _suggestion(attributeScores={"LIKELY_TO_REJECT": {"summaryScore": {"value": 1.0}}})
    response = await client.post(SUGGEST, headers=tenant.headers, json=body)

    error = _error(response, 400)
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith("Attribute LIKELY_TO_REJECT does not exist.")
    field = error["details"][0]["fieldViolations"][0]["field"]
    assert field == "body.attributeScores.LIKELY_TO_REJECT"
    assert await _stored(app, tenant.id) == []


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"attributeScores": {"TOXICITY": {"summaryScore": {"value": 1.5}}}}, "attributeScores"),
        ({"attributeScores": {"TOXICITY": {"summaryScore": {"value": -0.1}}}}, "attributeScores"),
        ({"attributeScores": {"TOXICITY": {"spanScores": []}}}, "attributeScores"),
        ({"attributeScores": {}}, "attributeScores"),
        ({"comment": {"text": "x" * 20_481}}, "comment.text"),
        ({"comment": {"text": ""}}, "comment.text"),
        ({"communityId": "c" * 257}, "communityId"),
        ({"clientToken": "t" * 257}, "clientToken"),
        ({"languages": ["en"] * 21}, "languages"),
        (
            {
                "attributeScores": {
                    "TOXICITY": {
                        "summaryScore": {"value": 0.5},
                        "spanScores": [{"begin": 0, "end": 999, "score": {"value": 0.5}}],
                    }
                }
            },
            "body",
        ),
    ],
)
async def test_invalid_suggestions_are_a_400_naming_the_field(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    extra: dict[str, Any],
    field: str,
) -> None:
    response = await client.post(SUGGEST, headers=tenant.headers, json=_suggestion(**extra))

    error = _error(response, 400)
    fields = [v["field"] for v in error["details"][0]["fieldViolations"]]
    assert any(name.startswith(f"body.{field}") or name == field for name in fields), fields
    assert await _stored(app, tenant.id) == []


async def test_a_span_outside_the_comment_is_explained(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    span = {"begin": 30, "end": 99, "score": {"value": 0.5}}
    scores = {"TOXICITY": {"summaryScore": {"value": 0.5}, "spanScores": [span]}}
    response = await client.post(
        SUGGEST, headers=tenant.headers, json=_suggestion(attributeScores=scores)
    )

    message = _error(response, 400)["message"]
    assert f"[30, 99) is not a non-empty range within the comment's {len(TEXT)}" in message


async def test_a_bad_key_is_a_401_and_a_reader_key_a_403(
    client: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    reader = await make_tenant(scopes={Scope.CONTENT_READ})

    bad = await client.post(SUGGEST, params={"key": "nope"}, json=_suggestion())
    refused = await client.post(SUGGEST, params={"key": reader.key}, json=_suggestion())

    assert _error(bad, 401)["status"] == "UNAUTHENTICATED"
    assert _error(refused, 403)["status"] == "PERMISSION_DENIED"
