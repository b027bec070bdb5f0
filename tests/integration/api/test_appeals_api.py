"""Appeals end to end through the API on SQLite and PostgreSQL: report → claim → reject →
appeal → overturn, the four-eyes rule, one open appeal per item, the appeal window."""

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import TenantHandle
from tests.integration.api.test_review_workflow_api import (
    REVIEWER,
    _decide,
    _events,
    _get,
    _item,
    _queue,
    _report,
    _second_key,
)

pytestmark = pytest.mark.asyncio


async def _appeal(
    client: httpx.AsyncClient, who: TenantHandle, content_id: str, author: str = "author-1"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/content/{content_id}/appeals",
        headers=who.headers,
        json={"author_id": author, "statement": "I was quoting it to report it."},
    )


async def _decide_appeal(
    client: httpx.AsyncClient, who: TenantHandle, content_id: str, appeal_id: str, **body: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/content/{content_id}/appeals/{appeal_id}/decision",
        headers=who.headers,
        json=body,
    )


async def _history(client: httpx.AsyncClient, who: TenantHandle, content_id: str) -> Any:
    response = await client.get(f"/api/v1/content/{content_id}/history", headers=who.headers)
    return response.json()["entries"]


async def test_report_claim_reject_appeal_overturn(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    bob = await _second_key(app, tenant, REVIEWER)
    item = await _item(client, tenant)
    assert (await _report(client, tenant, item["id"], "user-1", "harassment")).status_code == 201
    claim = await client.post(f"/api/v1/content/{item['id']}/claim", headers=tenant.headers)
    rejecter = claim.json()["claimed_by"]
    assert (await _decide(client, tenant, item["id"], "rejected")).status_code == 200

    filed = await _appeal(client, tenant, item["id"])
    assert filed.status_code == 201, filed.text
    appeal = filed.json()
    assert (appeal["status"], appeal["appealed_status"]) == ("open", "rejected")
    assert appeal["appealed_actor"] == rejecter
    queue = await _queue(client, bob, kind="appealed")
    assert [i["id"] for i in queue["items"]] == [item["id"]]
    assert queue["items"][0]["appealed_at"] is not None

    own = await _decide_appeal(client, tenant, item["id"], appeal["id"], outcome="overturned")
    assert own.status_code == 403, "the reviewer who rejected it may not decide the appeal"
    decided = await _decide_appeal(
        client, bob, item["id"], appeal["id"], outcome="overturned", notes="quoted, not meant"
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "overturned"
    assert decided.json()["decided_by"].startswith("key:")
    assert decided.json()["decided_by"] != rejecter

    stored = await _get(client, tenant, item["id"])
    assert stored["moderation_status"] == "approved"
    assert stored["appealed_at"] is None
    assert (await _queue(client, bob, kind="appealed"))["total"] == 0
    history = await _history(client, tenant, item["id"])
    notes = [e["notes"] for e in history if e["source"] == "human"]
    assert any(n and n.startswith(f"appeal {appeal['id']} overturned") for n in notes)
    again = await _decide_appeal(client, bob, item["id"], appeal["id"], outcome="upheld")
    assert again.status_code == 409
    [received] = await _events(app, tenant, "AppealReceived")
    [outcome] = await _events(app, tenant, "AppealDecided")
    assert received["payload"]["appealed_actor"] == rejecter
    assert (outcome["payload"]["outcome"], outcome["payload"]["content_status"]) == (
        "overturned",
        "approved",
    )


async def test_an_upheld_appeal_keeps_the_rejection_and_is_audited(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    bob = await _second_key(app, tenant, REVIEWER)
    item = await _item(client, tenant)
    await _decide(client, tenant, item["id"], "rejected")
    appeal = (await _appeal(client, tenant, item["id"])).json()
    decided = await _decide_appeal(client, bob, item["id"], appeal["id"], outcome="upheld")
    assert decided.status_code == 200, decided.text
    assert (await _get(client, tenant, item["id"]))["moderation_status"] == "rejected"
    last = (await _history(client, tenant, item["id"]))[-1]
    assert (last["source"], last["status"]) == ("human", "rejected")
    assert last["notes"] == f"appeal {appeal['id']} upheld"
    listed = await client.get(f"/api/v1/content/{item['id']}/appeals", headers=tenant.headers)
    assert [a["status"] for a in listed.json()["appeals"]] == ["upheld"]
    # Decided: the author may appeal again (a new open appeal).
    assert (await _appeal(client, tenant, item["id"])).status_code == 201


async def test_only_the_author_appeals_only_a_rejection_and_only_once_at_a_time(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    approved = await _item(client, tenant)
    assert (await _appeal(client, tenant, approved["id"])).status_code == 409
    rejected = await _item(client, tenant)
    await _decide(client, tenant, rejected["id"], "rejected")
    stranger = await _appeal(client, tenant, rejected["id"], author="someone-else")
    assert stranger.status_code == 403
    responses = await asyncio.gather(*(_appeal(client, tenant, rejected["id"]) for _ in range(4)))
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    listed = await client.get(f"/api/v1/content/{rejected['id']}/appeals", headers=tenant.headers)
    assert len(listed.json()["appeals"]) == 1


async def test_another_reviewers_claim_blocks_an_appeal_decision(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    bob = await _second_key(app, tenant, REVIEWER)
    carol = await _second_key(app, tenant, REVIEWER)
    item = await _item(client, tenant)
    await _decide(client, tenant, item["id"], "rejected")
    appeal = (await _appeal(client, tenant, item["id"])).json()
    assert (
        await client.post(f"/api/v1/content/{item['id']}/claim", headers=bob.headers)
    ).is_success

    blocked = await _decide_appeal(client, carol, item["id"], appeal["id"], outcome="upheld")
    assert blocked.status_code == 409
    listed = await client.get(f"/api/v1/content/{item['id']}/appeals", headers=tenant.headers)
    assert [a["status"] for a in listed.json()["appeals"]] == ["open"], "nothing half-decided"
    decided = await _decide_appeal(client, bob, item["id"], appeal["id"], outcome="upheld")
    assert decided.is_success
    assert (await _get(client, tenant, item["id"]))["claimed_by"] is None


async def test_an_authors_history_counts_statuses_reasons_reports_and_appeals(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, make_tenant: MakeTenant
) -> None:
    bob = await _second_key(app, tenant, REVIEWER)
    items = [await _item(client, tenant, author_id="user-77") for _ in range(4)]
    await _item(client, tenant, author_id="someone-else")
    rejected, flagged, reported, appealed = items
    await _decide(client, tenant, rejected["id"], "rejected")
    await _decide(client, tenant, flagged["id"], "flagged")
    await _report(client, tenant, reported["id"], "u1", "spam")
    await _report(client, tenant, reported["id"], "u2", "spam")
    await _decide(client, tenant, appealed["id"], "rejected")
    appeal = (await _appeal(client, tenant, appealed["id"], author="user-77")).json()
    await _decide_appeal(client, bob, appealed["id"], appeal["id"], outcome="overturned")

    response = await client.get(
        "/api/v1/authors/user-77", headers=tenant.headers, params={"recent": 2}
    )
    assert response.status_code == 200, response.text
    history = response.json()
    assert history["items"] == 4
    # rejected, flagged; the reported one and the overturned one are approved.
    assert history["by_status"] == {"rejected": 1, "flagged": 1, "approved": 2}
    assert history["rejected_by_reason"] == {"harassment": 1}
    assert history["flagged_by_reason"] == {"harassment": 1}
    assert (history["reports"], history["open_reports"]) == (2, 2)
    assert history["appeals"] == {"overturned": 1}
    assert [i["id"] for i in history["recent"]] == [appealed["id"], reported["id"]]

    nobody = (await client.get("/api/v1/authors/nobody", headers=tenant.headers)).json()
    assert (nobody["items"], nobody["by_status"], nobody["recent"]) == (0, {}, [])
    stranger = await make_tenant()
    theirs = (await client.get("/api/v1/authors/user-77", headers=stranger.headers)).json()
    assert theirs["items"] == 0, "another tenant's authors are not visible"
