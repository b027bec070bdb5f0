"""Text no database stores (NUL, unpaired surrogates) is a 422 naming its place, on every route
and on SQLite and PostgreSQL alike; real text, emoji included, is stored intact."""

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from tests.integration.api.support import TenantHandle, content_body

from moderation.api.schemas import POLICY_EXAMPLE

PROBLEM_JSON = "application/problem+json"
# A NUL, and a high surrogate with no low one after it (what JSON "\ud800" decodes to).
UNSTORABLE = {"nul": "\x00", "lone_surrogate": "\ud800"}


def _raw(document: object) -> bytes:
    # ensure_ascii writes both as JSON escapes (\u0000, \ud800), as a client's encoder would.
    return json.dumps(document).encode()


def _policy_with_term(term: str) -> dict[str, Any]:
    rules = [{**POLICY_EXAMPLE["term_rules"][0], "pattern": term}]
    return {**POLICY_EXAMPLE, "term_rules": rules}


def _query(bad: str) -> str:
    # What a client's URL holds: a lone surrogate can only arrive as its (invalid) UTF-8 bytes.
    return quote(bad.encode("utf-8", "surrogatepass"))


def _places(bad: str) -> list[tuple[str, str, dict[str, Any], bytes | None, list[str]]]:
    """(method, path, query params, JSON body, the location the 422 must name)."""
    return [
        ("POST", "/api/v1/content", {}, _raw(content_body(title=f"a{bad}")), ["body", "title"]),
        ("POST", "/api/v1/content", {}, _raw(content_body(body=f"x{bad}y")), ["body", "body"]),
        (
            "POST",
            "/api/v1/content",
            {},
            _raw(content_body(metadata={"ok": {"v": [1, f"v{bad}"]}})),
            ["body", "metadata", "ok", "v", "1"],
        ),
        (
            "POST",
            "/api/v1/content",
            {},
            _raw(content_body(metadata={f"k{bad}": 1})),
            ["body", "metadata", "k\ufffd"],
        ),
        (
            "POST",
            "/api/v1/content",
            {},
            _raw(content_body(tags=["ok", bad])),
            ["body", "tags", "1"],
        ),
        ("GET", f"/api/v1/content?author_id=a{_query(bad)}", {}, None, ["query", "author_id"]),
        ("GET", f"/api/v1/content?tag={_query(bad)}", {}, None, ["query", "tag"]),
        (
            "POST",
            "/api/v1/webhooks",
            {},
            _raw({"url": f"https://hooks.example.com/{bad}"}),
            ["body", "url"],
        ),
        (
            "POST",
            "/api/v1/webhooks",
            {},
            _raw({"url": "https://hooks.example.com/x", "description": bad}),
            ["body", "description"],
        ),
        (
            "PUT",
            "/api/v1/policy",
            {},
            _raw(_policy_with_term(f"w{bad}")),
            ["body", "term_rules", "0", "pattern"],
        ),
        ("POST", "/api/v1/moderate", {}, _raw({"text": f"t{bad}"}), ["body", "text"]),
        (
            "POST",
            "/v1alpha1/comments:analyze",
            {},
            _raw({"comment": {"text": bad}, "requestedAttributes": {"TOXICITY": {}}}),
            ["body", "comment", "text"],
        ),
        (
            "POST",
            "/v1alpha1/comments:suggestscore",
            {},
            _raw(
                {
                    "comment": {"text": "fine"},
                    "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}},
                    "communityId": f"c{bad}",
                }
            ),
            ["body", "communityId"],
        ),
        ("POST", "/v1/moderations", {}, _raw({"input": [f"ok {bad}"]}), ["body", "input", "0"]),
    ]


@pytest.mark.asyncio
@pytest.mark.parametrize("kind", sorted(UNSTORABLE))
async def test_unstorable_text_is_a_422_naming_its_place_on_every_route(
    client: httpx.AsyncClient, tenant: TenantHandle, kind: str
) -> None:
    bad = UNSTORABLE[kind]
    for method, path, params, body, location in _places(bad):
        response = await client.request(
            method,
            path,
            params=params or None,  # an empty mapping would drop the URL's own query
            content=body,
            headers={**tenant.headers, "Content-Type": "application/json"},
        )

        where = f"{method} {path} {location}"
        if path.startswith("/v1alpha1/"):
            # Google's envelope: 400 INVALID_ARGUMENT naming the field.
            assert response.status_code == 400, f"{where}: {response.text}"
            [details] = response.json()["error"]["details"]
            assert [v["field"] for v in details["fieldViolations"]] == [".".join(location)]
            continue
        if path == "/v1/moderations":
            assert response.status_code == 422, f"{where}: {response.text}"
            assert response.json()["error"]["param"] == ".".join(location), where
            continue
        assert response.status_code == 422, f"{where}: {response.status_code} {response.text}"
        assert response.headers["content-type"] == PROBLEM_JSON, where
        errors = response.json()["errors"]
        assert [e["location"] for e in errors] == [location], where

    listed = await client.get("/api/v1/content", headers=tenant.headers)
    assert listed.json()["total"] == 0


@pytest.mark.asyncio
async def test_query_bytes_that_are_not_utf8_are_a_422(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.get("/api/v1/content?author_id=%ff%fe", headers=tenant.headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["query", "author_id"]


@pytest.mark.asyncio
async def test_an_idempotency_key_with_nul_is_a_422_not_a_database_error(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    response = await client.post(
        "/api/v1/content",
        headers={**tenant.headers, "Idempotency-Key": "retry\x00-1"},
        json=content_body(),
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["header", "idempotency-key"]


@pytest.mark.asyncio
async def test_astral_characters_and_escaped_backslashes_are_stored_intact(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    title = "Lovely \U0001f600 caf\u00e9 \ud55c\uae00"
    # The letters \u0000 and \ud800 after a backslash: text, not escapes.
    body = "C:\\u0000\\temp and \\ud800 are paths"
    metadata = {"emoji \U0001f44d": ["\U0001f680", {"n": "\\u0000"}]}
    for encoded in (
        _raw(content_body(title=title, body=body, metadata=metadata)),
        json.dumps(
            content_body(title=title, body=body, metadata=metadata), ensure_ascii=False
        ).encode(),
    ):
        created = await client.post(
            "/api/v1/content",
            headers={**tenant.headers, "Content-Type": "application/json"},
            content=encoded,
        )
        assert created.status_code == 201, created.text

        fetched = (await client.get(created.headers["Location"], headers=tenant.headers)).json()
        assert (fetched["title"], fetched["body"], fetched["metadata"]) == (title, body, metadata)
