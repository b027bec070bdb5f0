"""One tenant can neither see nor touch another's content, and scopes and credentials hold."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from tests.integration.api.support import TenantHandle, content_body, wait_until_decided

from moderation.domain.models import Scope

MakeTenant = Callable[..., Awaitable[TenantHandle]]

# (method, path template, JSON body) of every route that addresses one item by id.
ITEM_ROUTES: list[tuple[str, str, dict[str, object] | None]] = [
    ("GET", "/api/v1/content/{id}", None),
    ("GET", "/api/v1/content/{id}/history", None),
    ("POST", "/api/v1/content/{id}/moderate", {"status": "approved", "notes": "mine now"}),
    ("POST", "/api/v1/content/{id}/analyze", None),
]


async def _create(client: httpx.AsyncClient, tenant: TenantHandle, **overrides: object) -> str:
    response = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(**overrides)
    )
    assert response.status_code == 201, response.text
    content_id: str = response.json()["id"]
    return content_id


def _without(body: Any, content_id: str) -> Any:
    """The problem body with the requested id blanked out, to compare two 404s' shapes."""
    return {k: v.replace(content_id, "<id>") if isinstance(v, str) else v for k, v in body.items()}


@pytest.mark.asyncio
@pytest.mark.parametrize(("method", "path", "body"), ITEM_ROUTES)
async def test_another_tenants_item_is_indistinguishable_from_a_missing_one(
    client: httpx.AsyncClient,
    make_tenant: MakeTenant,
    method: str,
    path: str,
    body: dict[str, object] | None,
) -> None:
    owner, intruder = await make_tenant(), await make_tenant()
    owned = await _create(client, owner)
    before = await wait_until_decided(client, owner, owned)
    missing = str(uuid.uuid4())

    foreign = await client.request(
        method, path.format(id=owned), headers=intruder.headers, json=body
    )
    absent = await client.request(
        method, path.format(id=missing), headers=intruder.headers, json=body
    )

    assert (foreign.status_code, absent.status_code) == (404, 404)
    assert foreign.headers["content-type"] == absent.headers["content-type"]
    assert _without(foreign.json(), owned) == _without(absent.json(), missing)
    after = await client.get(f"/api/v1/content/{owned}", headers=owner.headers)
    assert after.json() == before
    history = await client.get(f"/api/v1/content/{owned}/history", headers=owner.headers)
    assert [e["actor"] for e in history.json()["entries"]] == ["engine"]


@pytest.mark.asyncio
async def test_listing_and_stats_show_only_the_callers_content(
    client: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    first, second = await make_tenant(), await make_tenant()
    # Same author and tag in both tenants: the filters must not reach across.
    for _ in range(2):
        await _create(client, first, author_id="shared-author", tags=["shared"])
    own = await _create(client, second, author_id="shared-author", tags=["shared"])

    listings = [
        (await client.get("/api/v1/content", headers=second.headers, params=params)).json()
        for params in ({}, {"author_id": "shared-author"}, {"tag": "shared"}, {"status": "pending"})
    ]
    stats = (await client.get("/api/v1/content/stats", headers=second.headers)).json()
    first_stats = (await client.get("/api/v1/content/stats", headers=first.headers)).json()

    for listing in listings:
        assert listing["total"] <= 1
        assert {item["id"] for item in listing["items"]} <= {own}
    assert listings[1]["total"] == listings[2]["total"] == 1
    assert stats["total"] == 1
    assert sum(stats["by_status"].values()) == 1
    assert first_stats["total"] == 2


@pytest.mark.asyncio
async def test_bulk_with_another_tenants_ids_reports_not_found(
    client: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    owner, intruder = await make_tenant(), await make_tenant()
    owned = await _create(client, owner)
    before = await wait_until_decided(client, owner, owned)
    own = await _create(client, intruder)

    response = await client.post(
        "/api/v1/content/moderate/bulk",
        headers=intruder.headers,
        json={
            "items": [
                {"content_id": owned, "status": "rejected", "reasons": ["spam"]},
                {"content_id": own, "status": "approved"},
            ]
        },
    )

    assert response.status_code == 200, response.text
    outcomes = [(r["content_id"], r["outcome"]) for r in response.json()["results"]]
    assert outcomes == [(owned, "not_found"), (own, "decided")]
    after = await client.get(f"/api/v1/content/{owned}", headers=owner.headers)
    assert after.json() == before


@pytest.mark.asyncio
async def test_idempotency_keys_are_per_tenant(
    client: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    first, second = await make_tenant(), await make_tenant()
    body = content_body()

    a = await client.post(
        "/api/v1/content", headers={**first.headers, "Idempotency-Key": "k-1"}, json=body
    )
    b = await client.post(
        "/api/v1/content", headers={**second.headers, "Idempotency-Key": "k-1"}, json=body
    )

    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]
    assert "Idempotent-Replayed" not in b.headers


@pytest.mark.asyncio
async def test_read_only_key_cannot_write_or_decide(
    client: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    writer = await make_tenant()
    reader = await make_tenant(scopes={Scope.CONTENT_READ})
    # A key with only content:read can still read, so the 403s below are about scope.
    listing = await client.get("/api/v1/content", headers=reader.headers)
    some_id = str(uuid.uuid4())

    responses = [
        await client.post("/api/v1/content", headers=reader.headers, json=content_body()),
        await client.post(
            f"/api/v1/content/{some_id}/moderate",
            headers=reader.headers,
            json={"status": "approved"},
        ),
        await client.post(f"/api/v1/content/{some_id}/analyze", headers=reader.headers),
        await client.post(
            "/api/v1/content/moderate/bulk",
            headers=reader.headers,
            json={"items": [{"content_id": some_id, "status": "approved"}]},
        ),
    ]

    assert listing.status_code == 200
    for response in responses:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == 403
    assert responses[0].json()["detail"] == "this operation requires scope 'content:write'"
    assert (await client.get("/api/v1/content", headers=reader.headers)).json()["total"] == 0
    assert (await client.get("/api/v1/content", headers=writer.headers)).json()["total"] == 0


@pytest.mark.asyncio
async def test_write_only_key_cannot_read(
    client: httpx.AsyncClient, make_tenant: MakeTenant
) -> None:
    writer = await make_tenant(scopes={Scope.CONTENT_WRITE})
    created = await _create(client, writer)

    responses = [
        await client.get(f"/api/v1/content/{created}", headers=writer.headers),
        await client.get("/api/v1/content", headers=writer.headers),
        await client.post(f"/api/v1/content/{created}/analyze", headers=writer.headers),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/content"),
        ("GET", "/api/v1/content"),
        ("GET", "/api/v1/content/stats"),
        ("GET", f"/api/v1/content/{uuid.UUID(int=1)}"),
        ("POST", "/api/v1/content/moderate/bulk"),
    ],
)
async def test_missing_credential_is_a_401_with_a_challenge(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await client.request(method, path, json=content_body())

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "credential",
    [
        "garbage",
        "Bearer-ish.but.not.a.jwt",
        # Shaped exactly like one of our keys, but never issued.
        "mod_abcdefghijkl_" + "A" * 43,
    ],
)
async def test_unknown_or_garbage_credential_is_a_401(
    client: httpx.AsyncClient, credential: str
) -> None:
    headers = {"Authorization": f"Bearer {credential}"}

    created = await client.post("/api/v1/content", headers=headers, json=content_body())
    listed = await client.get("/api/v1/content", headers=headers)

    assert (created.status_code, listed.status_code) == (401, 401)
    assert created.headers["WWW-Authenticate"].startswith("Bearer")
    assert created.headers["content-type"] == "application/problem+json"


@pytest.mark.asyncio
async def test_a_known_key_prefix_with_a_wrong_secret_is_a_401(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    # Right prefix, wrong secret: the prefix lookup finds the key, the hash must still match.
    _, prefix, _ = tenant.key.split("_", 2)
    forged = f"mod_{prefix}_" + "B" * 43

    response = await client.get("/api/v1/content", headers={"Authorization": f"Bearer {forged}"})

    assert response.status_code == 401
