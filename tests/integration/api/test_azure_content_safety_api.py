"""`POST /contentsafety/text:analyze` driven by Microsoft's own `azure-ai-contentsafety` client
(its async client, over the in-process transport), plus the raw wire where the client hides it.
"""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from azure.ai.contentsafety.aio import ContentSafetyClient
from azure.ai.contentsafety.models import AnalyzeTextOptions, AnalyzeTextResult
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
)
from fastapi import FastAPI
from tests.integration.api.azure_transport import AsgiAzureTransport
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import TenantHandle

from moderation.domain.models import Scope

pytestmark = pytest.mark.asyncio

ANALYZE = "/contentsafety/text:analyze?api-version=2023-10-01"
TEXT = "You are a stupid idiot and I will kill you tomorrow."
ALL = ["Hate", "SelfHarm", "Sexual", "Violence"]


@pytest_asyncio.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _client(http: httpx.AsyncClient, key: str, **options: Any) -> ContentSafetyClient:
    return ContentSafetyClient(
        "http://testserver",
        AzureKeyCredential(key),
        transport=AsgiAzureTransport(http),
        retry_total=0,
        **options,
    )


async def _analyze(http: httpx.AsyncClient, key: str, **options: Any) -> AnalyzeTextResult:
    async with _client(http, key) as client:
        return await client.analyze_text(AnalyzeTextOptions(**options))


async def _native(http: httpx.AsyncClient, tenant: TenantHandle, text: str) -> dict[str, Any]:
    response = await http.post(
        "/api/v1/moderate", json={"items": [{"id": "t", "text": text}]}, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["results"][0]
    return result


def _expected(result: dict[str, Any]) -> dict[str, int]:
    """Eight-level severities by the documented rules, worked out here from the result
    `/api/v1/moderate` gives the same text: the cut points, on each score or 0.5 where a rule
    of that category acted (the policy gave its reason)."""
    scores: dict[str, float] = dict(result["scores"])
    acted = {"threat": "violence", "hate_speech": "hate_speech", "sexual": "adult_content"}
    acted["insult"] = "harassment"
    for span in result["spans"]:
        category = span["category"]
        if span["source"].startswith("rule:") and acted.get(category) in result["reasons"]:
            scores[category] = max(scores[category], 0.5)
    cuts = (0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99)
    level = {name: sum(scores[name] >= cut for cut in cuts) for name in acted}
    return {
        "Hate": max(level["hate_speech"], min(level["insult"], 3)),
        "SelfHarm": 0,
        "Sexual": level["sexual"],
        "Violence": level["threat"],
    }


async def test_four_severity_levels_by_default(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    result = await _analyze(http, tenant.key, text=TEXT)
    got = {item.category: item.severity or 0 for item in result.categories_analysis}
    assert [item.category for item in result.categories_analysis] == ALL
    expected = _expected(await _native(http, tenant, TEXT))
    assert got == {name: level - level % 2 for name, level in expected.items()}
    assert set(got.values()) <= {0, 2, 4, 6}
    # A threat of death: Azure's default filter (block at Medium) would block it.
    assert got["Violence"] >= 4
    assert result.blocklists_match == []


async def test_eight_severity_levels_on_request(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    result = await _analyze(http, tenant.key, text=TEXT, output_type="EightSeverityLevels")
    got = {item.category: item.severity for item in result.categories_analysis}
    assert got == _expected(await _native(http, tenant, TEXT))


async def test_a_friendly_text_is_severity_zero_everywhere(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    result = await _analyze(http, tenant.key, text="Have a lovely day, friend.")
    assert {item.severity for item in result.categories_analysis} == {0}


async def test_categories_filter_what_is_reported(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    result = await _analyze(http, tenant.key, text=TEXT, categories=["Violence", "Hate"])
    assert [item.category for item in result.categories_analysis] == ["Violence", "Hate"]
    # Azure's enums are case-insensitive on the wire too; duplicates are reported once.
    raw = await http.post(
        ANALYZE,
        json={"text": TEXT, "categories": ["sexual", "Sexual"]},
        headers={"Ocp-Apim-Subscription-Key": tenant.key},
    )
    assert [item["category"] for item in raw.json()["categoriesAnalysis"]] == ["Sexual"]


async def test_an_unknown_category_is_azures_invalid_request_body(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    with pytest.raises(HttpResponseError) as caught:
        await _analyze(http, tenant.key, text=TEXT, categories=["Spam"])
    assert caught.value.status_code == 400
    assert caught.value.error is not None
    assert caught.value.error.code == "InvalidRequestBody"


async def test_self_harm_is_zero_and_named_unsupported(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await http.post(
        ANALYZE,
        json={"text": "I want to hurt myself tonight."},
        headers={"Ocp-Apim-Subscription-Key": tenant.key},
    )
    assert response.status_code == 200
    assert response.headers["monocto-unsupported-categories"] == "SelfHarm"
    analysis = {
        item["category"]: item["severity"] for item in response.json()["categoriesAnalysis"]
    }
    assert analysis["SelfHarm"] == 0
    assert response.json()["blocklistsMatch"] == []


async def test_a_bad_key_raises_the_clients_authentication_error(
    http: httpx.AsyncClient,
) -> None:
    with pytest.raises(ClientAuthenticationError) as caught:
        await _analyze(http, "mod_not_a_real_key", text="hello")
    assert caught.value.status_code == 401
    assert caught.value.error is not None
    assert caught.value.error.code == "Unauthorized"
    missing = await http.post(ANALYZE, json={"text": "hello"})
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/json"
    assert set(missing.json()["error"]) >= {"code", "message"}


async def test_a_key_without_the_moderate_scope_is_refused(
    http: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    admin_only = await make_tenant(scopes={Scope.POLICY_ADMIN})
    with pytest.raises(HttpResponseError) as caught:
        await _analyze(http, admin_only.key, text="hello")
    assert caught.value.status_code == 403
    assert caught.value.error is not None
    assert caught.value.error.code == "Forbidden"


async def test_text_over_azures_limit_is_a_400(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    at_limit = await _analyze(http, tenant.key, text="hello " * 1666 + "hell")
    assert len(at_limit.categories_analysis) == 4
    with pytest.raises(HttpResponseError) as caught:
        await _analyze(http, tenant.key, text="x" * 10_001)
    assert caught.value.status_code == 400
    assert caught.value.error is not None
    assert caught.value.error.code == "InvalidRequestBody"
    assert "10000" in str(caught.value.error.message)
    empty = await http.post(
        ANALYZE, json={"text": ""}, headers={"Ocp-Apim-Subscription-Key": tenant.key}
    )
    assert empty.status_code == 400


async def test_the_api_version_is_checked(http: httpx.AsyncClient, tenant: TenantHandle) -> None:
    async with _client(http, tenant.key, api_version="2024-09-01") as client:
        result = await client.analyze_text(AnalyzeTextOptions(text="hello"))
    assert len(result.categories_analysis) == 4
    headers = {"Ocp-Apim-Subscription-Key": tenant.key}
    missing = await http.post("/contentsafety/text:analyze", json={"text": "hi"}, headers=headers)
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "MissingApiVersionParameter"
    preview = await http.post(
        "/contentsafety/text:analyze?api-version=2023-04-30-preview",
        json={"text": "hi"},
        headers=headers,
    )
    assert preview.status_code == 400
    assert preview.json()["error"]["code"] == "UnsupportedApiVersionValue"
    assert "2023-04-30-preview" in preview.json()["error"]["message"]


async def test_an_unknown_blocklist_raises_resource_not_found(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    with pytest.raises(ResourceNotFoundError) as caught:
        await _analyze(http, tenant.key, text="hello", blocklist_names=["no-such-list"])
    assert caught.value.status_code == 404
    assert caught.value.error is not None
    assert caught.value.error.code == "ResourceNotFound"
    assert "no-such-list" in str(caught.value.error.message)


async def test_a_malformed_body_is_never_a_422_or_a_500(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    headers = {"Ocp-Apim-Subscription-Key": tenant.key}
    for body in (b"not json", b"[]", b'{"text": 5}', b'{"outputType": "Nine", "text": "a"}'):
        response = await http.post(
            ANALYZE, content=body, headers={**headers, "Content-Type": "application/json"}
        )
        assert response.status_code == 400, (body, response.text)
        assert response.json()["error"]["code"] == "InvalidRequestBody"
