"""The Perspective-compatible `POST /v1alpha1/comments:analyze`."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from tests.integration.api.support import TenantHandle

from moderation.domain.models import Scope

MakeTenant = Callable[..., Awaitable[TenantHandle]]
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


def _google_error(response: httpx.Response, status: int, canonical: str) -> dict[str, Any]:
    """The body of an error in Google's envelope, which Google's client turns into HttpError."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == status
    assert error["status"] == canonical
    assert error["message"]
    return error


@pytest.mark.asyncio
async def test_unknown_attribute_is_a_400_in_googles_envelope_naming_the_supported_ones(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.post(
        ANALYZE, headers=tenant.headers, json=_request(INSULT, "TOXICITY", "LIKELY_TO_REJECT")
    )

    error = _google_error(response, 400, "INVALID_ARGUMENT")
    assert error["message"].startswith("Attribute LIKELY_TO_REJECT does not exist.")
    assert all(name in error["message"] for name in ALL_ATTRIBUTES)
    [violation] = error["details"][0]["fieldViolations"]
    assert violation["field"] == "body.requestedAttributes.LIKELY_TO_REJECT"


@pytest.mark.asyncio
async def test_several_unknown_attributes_are_named_in_one_message(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.post(
        ANALYZE, headers=tenant.headers, json=_request(INSULT, "FLIRTATION", "ATTACK_ON_AUTHOR")
    )

    error = _google_error(response, 400, "INVALID_ARGUMENT")
    assert error["message"].startswith("Attributes ATTACK_ON_AUTHOR, FLIRTATION do not exist.")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"comment": {"text": "x" * 20_481}}, "body.comment.text"),
        ({"comment": {"text": ""}}, "body.comment.text"),
        ({"requestedAttributes": {}}, "body.requestedAttributes"),
        ({"requestedAttributes": {f"A{i}": {} for i in range(17)}}, "body.requestedAttributes"),
        ({"languages": ["en"] * 21}, "body.languages"),
        ({"languages": ["not a language"]}, "body.languages.0"),
        ({"requestedAttributes": {"TOXICITY": {"scoreThreshold": 2}}}, "body.requestedAttributes"),
    ],
)
async def test_invalid_input_is_a_400_naming_the_field(
    client: httpx.AsyncClient, tenant: TenantHandle, body: dict[str, Any], field: str
) -> None:
    response = await client.post(
        ANALYZE, headers=tenant.headers, json={**_request(COMPLIMENT), **body}
    )

    error = _google_error(response, 400, "INVALID_ARGUMENT")
    fields = [v["field"] for v in error["details"][0]["fieldViolations"]]
    assert any(name.startswith(field) for name in fields), fields


@pytest.mark.asyncio
async def test_the_longest_comment_is_scored(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    text = ("You are an idiot. " * 2000)[:20_480]
    body = await _analyze(client, tenant, _request(text, "INSULT"))

    [span] = body["attributeScores"]["INSULT"]["spanScores"]
    assert span["end"] == 20_480


@pytest.mark.asyncio
async def test_languages_are_echoed_and_any_language_is_scored(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # Perspective refuses a language an attribute lacks; here every language is scored.
    german = "Du bist ein dummer Idiot und alle hassen dich."
    body = await _analyze(
        client, tenant, _request(german, "TOXICITY", languages=["de"], doNotStore=True)
    )

    assert body["languages"] == ["de"]
    assert body["detectedLanguages"] == ["de"]
    assert 0.0 <= _summary(body, "TOXICITY") <= 1.0


@pytest.mark.asyncio
async def test_scores_are_those_of_the_moderate_api(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    perspective = await _analyze(client, tenant, _request(INSULT, "TOXICITY", "INSULT"))
    moderate = await client.post(
        "/api/v1/moderate", headers=tenant.headers, json={"items": [{"id": "1", "text": INSULT}]}
    )

    [result] = moderate.json()["results"]
    assert _summary(perspective, "TOXICITY") == result["scores"]["toxicity"]
    assert _summary(perspective, "INSULT") == result["scores"]["insult"]


@pytest.mark.asyncio
async def test_no_or_bad_credential_is_401_in_googles_envelope(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.post(ANALYZE, json=_request(INSULT))
    bad_key = await client.post(ANALYZE, params={"key": "nope"}, json=_request(INSULT))

    for response in (missing, bad_key):
        _google_error(response, 401, "UNAUTHENTICATED")


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

    _google_error(response, 403, "PERMISSION_DENIED")
