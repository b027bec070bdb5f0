"""PUT /policy refuses rules the shared engine cannot run safely; accepted ones stay fast.

Before, `(\\w|\\w\\w)+$` was accepted and made one /moderate call on 32 characters take 2.5 s
(doubling per character), and a 10,000-rule policy was accepted too.
"""

import time
from typing import Any

import httpx
import pytest
from tests.integration.api.support import TenantHandle

POLICY = "/api/v1/policy"
ADVERSARIAL = ["a" * 19_999 + "!", "ab" * 10_000, "a " * 10_000]


def regex(pattern: str, rule_id: str) -> dict[str, Any]:
    return {"id": rule_id, "pattern": pattern, "kind": "regex", "category": "spam"}


async def _put(client: httpx.AsyncClient, tenant: TenantHandle, rules: list[Any]) -> httpx.Response:
    return await client.put(POLICY, headers=tenant.headers, json={"term_rules": rules})


async def _moderate(client: httpx.AsyncClient, tenant: TenantHandle, texts: list[str]) -> Any:
    items = [{"id": str(i), "text": text} for i, text in enumerate(texts)]
    response = await client.post("/api/v1/moderate", headers=tenant.headers, json={"items": items})
    assert response.status_code == 200, response.text
    return response.json()["results"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"(?>(\w+)+!)", "atomic groups"),
        (r"(a{1,30}){1,30}$", "too complex"),
        (r"\b(\w+) \1\b", "backreferences"),
        (r"buy(?= now)", "lookaround"),
    ],
)
async def test_regex_the_engine_cannot_run_linearly_is_a_422_naming_the_rule(
    client: httpx.AsyncClient, tenant: TenantHandle, pattern: str, why: str
) -> None:
    rules = [{"id": "fine", "pattern": "crapple", "category": "insult"}, regex(pattern, "bomb")]
    response = await _put(client, tenant, rules)
    current = await client.get(POLICY, headers=tenant.headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == "body.term_rules.1"
    assert "'bomb'" in error["message"]
    assert f"`{pattern}`" in error["message"]
    assert why in error["message"]
    assert current.json()["version"] == 0


@pytest.mark.asyncio
async def test_too_many_rules_is_a_422_naming_the_limit(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    rules = [{"id": str(i), "pattern": f"w{i}", "category": "spam"} for i in range(1001)]
    response = await _put(client, tenant, rules)

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "body.term_rules"
    assert "at most 1000 term rules, not 1001" in error["message"]


@pytest.mark.asyncio
async def test_accepted_backtracking_bombs_score_long_texts_quickly(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    bombs = [r"(\w|\w\w)+$", r"(a|aa)+$", r"\w*a\w*b\w*c", r"^(\w+\s?)+$"]
    rules = [regex(pattern, f"bomb{i}") for i, pattern in enumerate(bombs)]
    assert (await _put(client, tenant, rules)).status_code == 200

    started = time.perf_counter()
    results = await _moderate(client, tenant, ADVERSARIAL)
    elapsed = time.perf_counter() - started

    assert elapsed < 10.0
    assert all("rules_incomplete" not in result["reasons"] for result in results)
    # (\w|\w\w)+$ and friends did run: "a...a!" is not a word run to the end, "ab...ab" is.
    first = {s["source"] for s in results[0]["spans"]}
    second = {s["source"] for s in results[1]["spans"]}
    assert "rule:bomb0" not in first
    assert {"rule:bomb0", "rule:bomb3"} <= second
