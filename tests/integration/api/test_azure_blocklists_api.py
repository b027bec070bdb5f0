"""Azure's text blocklists, driven by Microsoft's own `BlocklistClient` (async, over the
in-process transport): stored as the tenant's term rules, one policy version per change."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any, cast

import httpx
import pytest
import pytest_asyncio
from azure.ai.contentsafety.aio import BlocklistClient, ContentSafetyClient
from azure.ai.contentsafety.models import (
    AddOrUpdateTextBlocklistItemsOptions,
    AnalyzeTextOptions,
    RemoveTextBlocklistItemsOptions,
    TextBlocklist,
    TextBlocklistItem,
)
from azure.core.async_paging import AsyncItemPaged
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from fastapi import FastAPI
from tests.integration.api.azure_transport import AsgiAzureTransport
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import TenantHandle

from moderation.domain.models import Scope

pytestmark = pytest.mark.asyncio

BASE = "http://testserver"


@pytest_asyncio.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


def _options(http: httpx.AsyncClient) -> dict[str, Any]:
    return {"transport": AsgiAzureTransport(http), "retry_total": 0}


def _blocklists(http: httpx.AsyncClient, key: str) -> BlocklistClient:
    return BlocklistClient(BASE, AzureKeyCredential(key), **_options(http))


def _safety(http: httpx.AsyncClient, key: str) -> ContentSafetyClient:
    return ContentSafetyClient(BASE, AzureKeyCredential(key), **_options(http))


def _items(*texts: str) -> AddOrUpdateTextBlocklistItemsOptions:
    return AddOrUpdateTextBlocklistItemsOptions(
        blocklist_items=[TextBlocklistItem(text=t, description=f"no {t}") for t in texts]
    )


async def _policy(http: httpx.AsyncClient, tenant: TenantHandle) -> dict[str, Any]:
    response = await http.get("/api/v1/policy", headers=tenant.headers)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_blocklist_crud_through_the_client(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    async with _blocklists(http, tenant.key) as client:
        created = await client.create_or_update_text_blocklist(
            "banned-words",
            TextBlocklist(blocklist_name="banned-words", description="Words we never publish"),
        )
        assert (created.blocklist_name, created.description) == (
            "banned-words",
            "Words we never publish",
        )
        await client.create_or_update_text_blocklist("second.list", {"description": "two"})
        updated = await client.create_or_update_text_blocklist(
            "banned-words", {"description": "Changed"}
        )
        assert updated.description == "Changed"
        fetched = await client.get_text_blocklist("banned-words")
        assert fetched.description == "Changed"
        names = [b.blocklist_name async for b in client.list_text_blocklists()]
        assert names == ["banned-words", "second.list"]
        await client.delete_text_blocklist("second.list")
        with pytest.raises(ResourceNotFoundError) as caught:
            await client.get_text_blocklist("second.list")
        assert caught.value.error is not None
        assert caught.value.error.code == "ResourceNotFound"
        # Deleting what is not there is still a 204, as a DELETE is idempotent.
        await client.delete_text_blocklist("second.list")
    headers = {"Ocp-Apim-Subscription-Key": tenant.key}
    url = "/contentsafety/text/blocklists/fresh?api-version=2023-10-01"
    first = await http.patch(url, json={"description": "x"}, headers=headers)
    again = await http.patch(url, json={"description": None}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"blocklistName": "fresh"}


async def test_each_change_is_a_policy_version_of_term_rules(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    before = (await _policy(http, tenant))["version"]
    async with _blocklists(http, tenant.key) as client:
        await client.create_or_update_text_blocklist("brands", {"description": "Rivals"})
        added = await client.add_or_update_blocklist_items("brands", _items("Acme Corp"))
        # The same description again changes nothing, so it writes no version.
        await client.create_or_update_text_blocklist("brands", {"description": "Rivals"})
    item = added.blocklist_items[0]
    assert (item.text, item.description) == ("Acme Corp", "no Acme Corp")
    stored = await _policy(http, tenant)
    assert stored["version"] == before + 2
    assert stored["created_by"]
    assert stored["policy"]["blocklists"] == {"brands": {"description": "Rivals"}}
    rules = [r for r in stored["policy"]["term_rules"] if r["id"].startswith("blocklist:")]
    assert rules == [
        {
            "id": f"blocklist:brands:{item.blocklist_item_id}",
            "pattern": "Acme Corp",
            "kind": "phrase",
            "category": "insult",
            "action": "flag",
            "reason": "blocklist brands: no Acme Corp",
        }
    ]


async def test_items_page_with_top_skip_and_maxpagesize(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    texts = [f"word{i}" for i in range(5)]
    async with _blocklists(http, tenant.key) as client:
        await client.create_or_update_text_blocklist("paged", {"description": "p"})
        added = await client.add_or_update_blocklist_items("paged", _items(*texts))
        ids = [i.blocklist_item_id for i in added.blocklist_items]
        every = [i.text async for i in client.list_text_blocklist_items("paged")]
        assert every == texts
        window = [i.text async for i in client.list_text_blocklist_items("paged", top=3, skip=1)]
        assert window == texts[1:4]
        paged = client.list_text_blocklist_items("paged", maxpagesize=2)
        pages = cast(AsyncItemPaged[TextBlocklistItem], paged).by_page()
        sizes = [len([item async for item in page]) async for page in pages]
        assert sizes == [2, 2, 1]
        one = await client.get_text_blocklist_item("paged", ids[2])
        assert (one.text, one.description) == ("word2", "no word2")
        await client.remove_blocklist_items(
            "paged", RemoveTextBlocklistItemsOptions(blocklist_item_ids=[*ids[:2], "gone"])
        )
        left = [i.text async for i in client.list_text_blocklist_items("paged")]
        assert left == texts[2:]
        with pytest.raises(ResourceNotFoundError):
            await client.get_text_blocklist_item("paged", ids[0])
        with pytest.raises(ResourceNotFoundError):
            await client.add_or_update_blocklist_items("no-such-list", _items("x"))
    raw = await http.get(
        "/contentsafety/text/blocklists/paged/blocklistItems?api-version=2023-10-01&maxpagesize=2",
        headers={"Ocp-Apim-Subscription-Key": tenant.key},
    )
    assert raw.json()["nextLink"] == (
        f"{BASE}/contentsafety/text/blocklists/paged/blocklistItems"
        "?api-version=2023-10-01&skip=2&maxpagesize=2"
    )


async def test_re_adding_an_item_updates_it_in_place(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    async with _blocklists(http, tenant.key) as client:
        await client.create_or_update_text_blocklist("dupes", {})
        first = await client.add_or_update_blocklist_items("dupes", _items("Spoiler"))
        second = await client.add_or_update_blocklist_items(
            "dupes",
            {"blocklistItems": [{"text": " spoiler ", "description": "new"}]},
        )
        items = [i async for i in client.list_text_blocklist_items("dupes")]
    assert second.blocklist_items[0].blocklist_item_id == first.blocklist_items[0].blocklist_item_id
    assert [(i.text, i.description) for i in items] == [("spoiler", "new")]


async def test_an_obfuscated_hit_is_reported_and_halts_on_request(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    async with _blocklists(http, tenant.key) as client:
        await client.create_or_update_text_blocklist("swears", {"description": "s"})
        await client.create_or_update_text_blocklist("brands", {"description": "b"})
        swear = (
            await client.add_or_update_blocklist_items("swears", _items("fuck"))
        ).blocklist_items
        brand = (
            await client.add_or_update_blocklist_items("brands", _items("zorblax"))
        ).blocklist_items
    text = "f4ck this, the z o r b l a x team won"
    async with _safety(http, tenant.key) as client:
        both = await client.analyze_text(
            AnalyzeTextOptions(text=text, blocklist_names=["swears", "brands"])
        )
        only = await client.analyze_text(AnalyzeTextOptions(text=text, blocklist_names=["brands"]))
        halted = await client.analyze_text(
            AnalyzeTextOptions(text=text, blocklist_names=["swears"], halt_on_blocklist_hit=True)
        )
        clean = await client.analyze_text(
            AnalyzeTextOptions(
                text="a calm day", blocklist_names=["swears"], halt_on_blocklist_hit=True
            )
        )
    hits = [
        (m.blocklist_name, m.blocklist_item_id, m.blocklist_item_text)
        for m in both.blocklists_match or []
    ]
    assert hits == [
        ("swears", swear[0].blocklist_item_id, "fuck"),
        ("brands", brand[0].blocklist_item_id, "zorblax"),
    ]
    assert len(both.categories_analysis) == 4
    assert [m.blocklist_name for m in only.blocklists_match or []] == ["brands"]
    assert [m.blocklist_item_text for m in halted.blocklists_match or []] == ["fuck"]
    assert halted.categories_analysis == []
    assert clean.blocklists_match == []
    assert len(clean.categories_analysis) == 4


async def test_a_blocklist_acts_on_the_native_routes_too(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    async with _blocklists(http, tenant.key) as client:
        await client.create_or_update_text_blocklist("brands", {})
        added = await client.add_or_update_blocklist_items("brands", _items("zorblax"))
    response = await http.post(
        "/api/v1/moderate",
        json={"items": [{"id": "a", "text": "buy zorbl4x today, friends"}]},
        headers=tenant.headers,
    )
    result = response.json()["results"][0]
    assert result["decision"] == "flag"
    rule = f"rule:blocklist:brands:{added.blocklist_items[0].blocklist_item_id}"
    assert rule in [span["source"] for span in result["spans"]]


async def test_scopes_reading_and_changing(
    http: httpx.AsyncClient, tenant: TenantHandle, make_tenant: MakeTenant
) -> None:
    async with _blocklists(http, tenant.key) as client:
        await client.create_or_update_text_blocklist("shared", {"description": "s"})
    reader = await make_tenant(scopes={Scope.MODERATE})
    async with _blocklists(http, reader.key) as client:
        assert [b async for b in client.list_text_blocklists()] == []
        with pytest.raises(HttpResponseError) as caught:
            await client.create_or_update_text_blocklist("mine", {"description": "m"})
    assert caught.value.status_code == 403
    assert caught.value.error is not None
    assert caught.value.error.code == "Forbidden"
    nobody = await make_tenant(scopes={Scope.CONTENT_READ})
    async with _blocklists(http, nobody.key) as client:
        with pytest.raises(HttpResponseError) as refused:
            await client.get_text_blocklist("shared")
    assert refused.value.status_code == 403


async def test_azures_limits_and_names_are_400s(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    headers = {"Ocp-Apim-Subscription-Key": tenant.key}
    version = "?api-version=2023-10-01"
    bad_name = await http.patch(
        f"/contentsafety/text/blocklists/no%20spaces{version}", json={}, headers=headers
    )
    assert bad_name.status_code == 400
    assert bad_name.json()["error"]["code"] == "InvalidResourceName"
    await http.patch(f"/contentsafety/text/blocklists/lim{version}", json={}, headers=headers)
    add = f"/contentsafety/text/blocklists/lim:addOrUpdateBlocklistItems{version}"
    too_many = {"blocklistItems": [{"text": f"w{i}"} for i in range(101)]}
    too_long = {"blocklistItems": [{"text": "x" * 129}]}
    bodies: list[dict[str, Any]] = [
        too_many,
        too_long,
        {"blocklistItems": []},
        {"blocklistItems": [{"text": " "}]},
    ]
    for body in bodies:
        response = await http.post(add, json=body, headers=headers)
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "InvalidRequestBody"
    mismatch = await http.patch(
        f"/contentsafety/text/blocklists/lim{version}",
        json={"blocklistName": "other"},
        headers=headers,
    )
    assert mismatch.status_code == 400


async def test_an_add_past_the_policy_rule_limit_is_refused_whole(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    rules = [
        {"id": f"r{i}", "pattern": f"term{i}", "kind": "word", "category": "spam"}
        for i in range(999)
    ]
    put = await http.put("/api/v1/policy", json={"term_rules": rules}, headers=tenant.headers)
    assert put.status_code == 200, put.text
    version = put.json()["version"]
    async with _blocklists(http, tenant.key) as client:
        await client.create_or_update_text_blocklist("full", {})
        with pytest.raises(HttpResponseError) as caught:
            await client.add_or_update_blocklist_items("full", _items("one", "two"))
        assert caught.value.status_code == 400
        assert caught.value.error is not None
        assert "at most 1000 term rules" in str(caught.value.error.message)
        assert [i async for i in client.list_text_blocklist_items("full")] == []
        await client.add_or_update_blocklist_items("full", _items("one"))
    assert (await _policy(http, tenant))["version"] == version + 2


async def test_put_policy_keeps_blocklists_consistent(
    http: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    rule = {
        "id": "blocklist:handmade:item-1",
        "pattern": "zorblax",
        "kind": "word",
        "category": "spam",
        "action": "reject",
        "reason": "written by hand",
    }
    policy = {"term_rules": [rule], "blocklists": {"declared": {"description": "empty"}}}
    put = await http.put("/api/v1/policy", json=policy, headers=tenant.headers)
    assert put.status_code == 200, put.text
    async with _blocklists(http, tenant.key) as client:
        # A rule's list exists even when `blocklists` does not declare it.
        names = [b.blocklist_name async for b in client.list_text_blocklists()]
        assert names == ["declared", "handmade"]
        item = await client.get_text_blocklist_item("handmade", "item-1")
        assert (item.text, item.description) == ("zorblax", "written by hand")
        await client.add_or_update_blocklist_items(
            "handmade", {"blocklistItems": [{"text": "zorblax", "description": "d"}]}
        )
    stored = (await _policy(http, tenant))["policy"]["term_rules"][0]
    # An update through Azure keeps the category and action set by hand.
    assert (stored["category"], stored["action"], stored["reason"]) == (
        "spam",
        "reject",
        "blocklist handmade: d",
    )
    bad = await http.put(
        "/api/v1/policy", json={"blocklists": {"no spaces": {}}}, headers=tenant.headers
    )
    assert bad.status_code == 422


async def test_concurrent_adds_lose_nothing(http: httpx.AsyncClient, tenant: TenantHandle) -> None:
    async with _blocklists(http, tenant.key) as client:
        await client.create_or_update_text_blocklist("busy", {})
        await asyncio.gather(
            *(client.add_or_update_blocklist_items("busy", _items(f"t{i}")) for i in range(4))
        )
        texts = sorted([i.text async for i in client.list_text_blocklist_items("busy")])
    assert texts == ["t0", "t1", "t2", "t3"]
