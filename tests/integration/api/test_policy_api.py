"""GET/PUT /policy: versions, optimistic concurrency, validation, and its effect on decisions."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from tests.integration.api.support import TenantHandle, content_body, wait_until_decided

from moderation.domain.models import Scope

MakeTenant = Callable[..., Awaitable[TenantHandle]]
PROBLEM_JSON = "application/problem+json"
POLICY = "/api/v1/policy"
BRAND_TEXT = "Have you seen the new crapple phone?"
SWEARY_TEXT = "this shit rocks"

BLOCK_RULE = {
    "id": "brand-slur",
    "pattern": "crapple",
    "kind": "word",
    "category": "insult",
    "action": "reject",
}
ALLOW_RULE = {"id": "ok-swear", "pattern": "shit", "category": "profanity", "action": "allow"}


async def _put(
    client: httpx.AsyncClient,
    tenant: TenantHandle,
    policy: dict[str, Any],
    if_match: str | None = None,
) -> httpx.Response:
    headers = dict(tenant.headers)
    if if_match is not None:
        headers["If-Match"] = if_match
    return await client.put(POLICY, headers=headers, json=policy)


async def _decide(client: httpx.AsyncClient, tenant: TenantHandle, text: str) -> Any:
    response = await client.post(
        "/api/v1/moderate", headers=tenant.headers, json={"items": [{"id": "x", "text": text}]}
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_default_policy_is_version_zero_with_the_seed_thresholds(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.get(POLICY, headers=tenant.headers)

    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"0"'
    body = response.json()
    assert body["version"] == 0
    assert body["created_by"] is None
    assert body["policy"]["default_thresholds"]["flag_at"] == pytest.approx(0.3)
    assert body["policy"]["default_thresholds"]["reject_at"] == pytest.approx(0.7)
    assert body["policy"]["term_rules"] == []


@pytest.mark.asyncio
async def test_each_put_is_the_next_version(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    strict = {"default_thresholds": {"flag_at": 0.2, "reject_at": 0.5}}
    first = await _put(client, tenant, strict)
    second = await _put(client, tenant, {"term_rules": [BLOCK_RULE]}, if_match='"1"')
    current = await client.get(POLICY, headers=tenant.headers)

    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["version"], second.json()["version"]) == (1, 2)
    assert (first.headers["etag"], second.headers["etag"]) == ('"1"', '"2"')
    assert first.json()["policy"]["default_thresholds"]["reject_at"] == pytest.approx(0.5)
    assert first.json()["created_by"].startswith("key:")
    assert current.headers["etag"] == '"2"'
    assert current.json()["version"] == 2
    assert current.json()["policy"]["term_rules"][0]["id"] == "brand-slur"
    # A whole replacement: version 1's thresholds are not carried over.
    assert current.json()["policy"]["default_thresholds"]["reject_at"] == pytest.approx(0.7)


@pytest.mark.asyncio
async def test_stale_if_match_is_a_409_and_changes_nothing(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    assert (await _put(client, tenant, {}, if_match='"0"')).status_code == 200

    stale = await _put(client, tenant, {"term_rules": [BLOCK_RULE]}, if_match='"0"')
    current = await client.get(POLICY, headers=tenant.headers)

    assert stale.status_code == 409
    assert stale.headers["content-type"] == PROBLEM_JSON
    assert stale.json()["current_version"] == 1
    assert current.json()["version"] == 1
    assert current.json()["policy"]["term_rules"] == []


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("policy", "field"),
    [
        ({"default_thresholds": {"flag_at": 0.8, "reject_at": 0.4}}, "default_thresholds"),
        ({"categories": {"violence": {"flag_at": 0.2}}}, "categories.violence"),
        ({"colour": "blue"}, "colour"),
        ({"term_rules": [{**BLOCK_RULE, "action": "explode"}]}, "term_rules.0.action"),
    ],
    ids=["reject-below-flag", "unknown-category", "extra-field", "unknown-action"],
)
async def test_invalid_policy_is_a_422_naming_the_field(
    client: httpx.AsyncClient, tenant: TenantHandle, policy: dict[str, Any], field: str
) -> None:
    response = await _put(client, tenant, policy)
    current = await client.get(POLICY, headers=tenant.headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["status"] == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert any(f.startswith(f"body.{field}") for f in fields), fields
    assert current.json()["version"] == 0


@pytest.mark.asyncio
async def test_block_rule_rejects_text_the_model_would_approve(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    before = await _decide(client, tenant, BRAND_TEXT)
    assert (await _put(client, tenant, {"term_rules": [BLOCK_RULE]})).status_code == 200

    after = await _decide(client, tenant, BRAND_TEXT)

    assert before["results"][0]["decision"] == "approve"
    assert before["policy_version"] == 0
    result = after["results"][0]
    assert after["policy_version"] == 1
    assert result["decision"] == "reject"
    start = BRAND_TEXT.index("crapple")
    assert {
        "start": start,
        "end": start + 7,
        "category": "insult",
        "source": "rule:brand-slur",
    } in (result["spans"])


@pytest.mark.asyncio
async def test_allow_rule_suppresses_a_lexicon_hit(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # Profanity acts only where the tenant asks for it; the allow rule then takes it back.
    assert (await _decide(client, tenant, SWEARY_TEXT))["results"][0]["decision"] == "approve"
    assert (await _put(client, tenant, {"flag_profanity": True})).status_code == 200
    before = await _decide(client, tenant, SWEARY_TEXT)
    allowing = {"flag_profanity": True, "term_rules": [ALLOW_RULE]}
    assert (await _put(client, tenant, allowing)).status_code == 200

    after = await _decide(client, tenant, SWEARY_TEXT)

    assert before["results"][0]["decision"] != "approve"
    assert "profanity" in before["results"][0]["reasons"]
    assert after["results"][0]["decision"] == "approve"
    assert after["results"][0]["spans"] == []


@pytest.mark.asyncio
async def test_stored_item_decision_records_the_policy_version(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    await _put(client, tenant, {})
    assert (await _put(client, tenant, {"term_rules": [BLOCK_RULE]})).status_code == 200
    created = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(body=BRAND_TEXT)
    )
    assert created.status_code == 201, created.text

    decided = await wait_until_decided(client, tenant, created.json()["id"])
    history = await client.get(
        f"/api/v1/content/{created.json()['id']}/history", headers=tenant.headers
    )

    assert decided["moderation_status"] == "rejected"
    [entry] = history.json()["entries"]
    assert entry["source"] == "engine"
    assert entry["policy_version"] == 2
    assert entry["model_version"]


@pytest.mark.asyncio
async def test_put_needs_policy_admin_and_get_needs_moderate_or_admin(
    client: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    moderator = await make_tenant(scopes={Scope.MODERATE, Scope.CONTENT_READ})
    reader = await make_tenant(scopes={Scope.CONTENT_READ})

    readable = await client.get(POLICY, headers=moderator.headers)
    refused = await _put(client, moderator, {"term_rules": [BLOCK_RULE]})
    hidden = await client.get(POLICY, headers=reader.headers)
    after = await client.get(POLICY, headers=moderator.headers)

    assert readable.status_code == 200
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM_JSON
    assert "policy:admin" in refused.json()["detail"]
    assert hidden.status_code == 403
    assert after.json()["version"] == 0
