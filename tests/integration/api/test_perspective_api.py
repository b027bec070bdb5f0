"""The Perspective-compatible `POST /v1alpha1/comments:analyze`."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from tests.integration.api.support import TenantHandle

from moderation.domain.models import Scope

MakeTenant = Callable[..., Awaitable[TenantHandle]]
PROBLEM_JSON = "application/problem+json"
ANALYZE = "/v1alpha1/comments:analyze"
INSULT = "You are a stupid idiot and I hate you"
COMPLIMENT = "Thanks, this fixed my problem!"
ALL_ATTRIBUTES = (
    "TOXICITY",
    "SEVERE_TOXICITY",
    "INSULT",
    "PROFANITY",
    "THREAT",
    "IDENTITY_ATTACK",
    "SPAM",
)


def _request(text: str, *attributes: str, **extra: object) -> dict[str, Any]:
    return {
        "comment": {"text": text},
        "requestedAttributes": {name: {} for name in attributes or ("TOXICITY",)},
        **extra,
    }


async def _analyze(client: httpx.AsyncClient, tenant: TenantHandle, body: dict[str, Any]) -> Any:
    response = await client.post(ANALYZE, headers=tenant.headers, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _summary(body: Any, attribute: str) -> float:
    value: float = body["attributeScores"][attribute]["summaryScore"]["value"]
    return value


# Perspective echoes this client-chosen correlation id; it is not a credential.
CORRELATION = "comment-" + "42"


@pytest.mark.asyncio
async def test_bearer_key_scores_every_attribute_in_range(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    body = await _analyze(client, tenant, _request(INSULT, *ALL_ATTRIBUTES))

    assert set(body["attributeScores"]) == set(ALL_ATTRIBUTES)
    for name in ALL_ATTRIBUTES:
        score = body["attributeScores"][name]["summaryScore"]
        assert 0.0 <= score["value"] <= 1.0
        assert score["type"] == "PROBABILITY"
    assert _summary(body, "SEVERE_TOXICITY") <= _summary(body, "TOXICITY")
    assert body["detectedLanguages"] == ["en"]


@pytest.mark.asyncio
async def test_key_query_parameter_authenticates_like_perspective(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.post(
        ANALYZE, params={"key": tenant.key}, json=_request(COMPLIMENT, clientToken=CORRELATION)
    )

    assert response.status_code == 200, response.text
    assert response.json()["clientToken"] == CORRELATION


@pytest.mark.asyncio
async def test_insult_scores_higher_than_a_compliment(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    insult = await _analyze(client, tenant, _request(INSULT, "TOXICITY", "INSULT"))
    compliment = await _analyze(client, tenant, _request(COMPLIMENT, "TOXICITY", "INSULT"))

    for attribute in ("TOXICITY", "INSULT"):
        assert _summary(insult, attribute) > 0.7
        assert _summary(compliment, attribute) < 0.3


@pytest.mark.asyncio
async def test_span_scores_tile_the_text_and_locate_the_insult(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    text = "Nice weather today. You are a stupid idiot."
    whole = await _analyze(client, tenant, _request(text, "INSULT"))
    sentences = await _analyze(client, tenant, _request(text, "INSULT", spanAnnotations=True))

    [span] = whole["attributeScores"]["INSULT"]["spanScores"]
    assert (span["begin"], span["end"]) == (0, len(text))
    assert span["score"]["value"] == _summary(whole, "INSULT")
    spans = sentences["attributeScores"]["INSULT"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 20), (20, len(text))]
    assert spans[0]["score"]["value"] == 0.0
    assert spans[1]["score"]["value"] == _summary(sentences, "INSULT") > 0.5


@pytest.mark.asyncio
async def test_score_threshold_leaves_out_low_attributes(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    body = await _analyze(
        client,
        tenant,
        {
            "comment": {"text": COMPLIMENT},
            "requestedAttributes": {"TOXICITY": {"scoreThreshold": 0.9}, "SPAM": {}},
        },
    )

    assert set(body["attributeScores"]) == {"SPAM"}


@pytest.mark.asyncio
async def test_unknown_attribute_is_a_422_listing_the_supported_ones(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.post(
        ANALYZE, headers=tenant.headers, json=_request(INSULT, "TOXICITY", "LIKELY_TO_REJECT")
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["unsupported"] == ["LIKELY_TO_REJECT"]
    assert set(ALL_ATTRIBUTES) <= set(response.json()["supported"])


@pytest.mark.asyncio
async def test_no_or_bad_credential_is_401(client: httpx.AsyncClient) -> None:
    missing = await client.post(ANALYZE, json=_request(INSULT))
    bad_key = await client.post(ANALYZE, params={"key": "nope"}, json=_request(INSULT))

    for response in (missing, bad_key):
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM_JSON


@pytest.mark.asyncio
async def test_query_key_is_not_accepted_on_other_apis(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # Keys in URLs end up in access logs; only Perspective clients get that compatibility.
    response = await client.get("/api/v1/content", params={"key": tenant.key})

    assert response.status_code == 401


@pytest.mark.asyncio
async def test_needs_the_moderate_scope(client: httpx.AsyncClient, make_tenant: MakeTenant) -> None:
    reader = await make_tenant(scopes={Scope.CONTENT_READ})

    response = await client.post(ANALYZE, headers=reader.headers, json=_request(INSULT))

    assert response.status_code == 403
