"""Reports, claims and the review queue, end to end through the API on SQLite and PostgreSQL,
with real races: identical reports sent at once, two reviewers claiming at once."""

import asyncio
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import TenantHandle, content_body, wait_until_decided
from tests.unit.domain.event_schema_assertions import assert_valid_event

from moderation.domain.events import EventEnvelope
from moderation.domain.models import DomainEvent, Scope
from moderation.domain.services import TenantService
from moderation.infrastructure.database.tables import OutboxRow
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository

pytestmark = pytest.mark.asyncio

REVIEWER = {Scope.CONTENT_READ, Scope.CONTENT_WRITE, Scope.MODERATE}


async def _second_key(app: FastAPI, tenant: TenantHandle, scopes: set[Scope]) -> TenantHandle:
    """Another credential of the same tenant: a second reviewer."""
    async with app.state.resources.database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        _, key = await service.create_key(tenant.name, scopes)
    return TenantHandle(name=tenant.name, id=tenant.id, key=key)


async def _item(client: httpx.AsyncClient, tenant: TenantHandle, **overrides: object) -> Any:
    response = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(**overrides)
    )
    assert response.status_code == 201, response.text
    return await wait_until_decided(client, tenant, response.json()["id"])


async def _decide(
    client: httpx.AsyncClient, who: TenantHandle, content_id: str, status: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/content/{content_id}/moderate",
        headers=who.headers,
        json={"status": status, "reasons": ["harassment"] if status != "approved" else []},
    )


async def _report(
    client: httpx.AsyncClient, who: TenantHandle, content_id: str, reporter: str, reason: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/content/{content_id}/reports",
        headers=who.headers,
        json={"reporter_id": reporter, "reason": reason, "details": "please look"},
    )


async def _get(client: httpx.AsyncClient, who: TenantHandle, content_id: str) -> Any:
    response = await client.get(f"/api/v1/content/{content_id}", headers=who.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _queue(client: httpx.AsyncClient, who: TenantHandle, **params: str | int) -> Any:
    response = await client.get("/api/v1/queue", headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def _events(app: FastAPI, tenant: TenantHandle, event_type: str) -> list[dict[str, Any]]:
    async with app.state.resources.database.transaction(write=False) as session:
        rows = await session.scalars(
            select(OutboxRow)
            .where(OutboxRow.tenant_id == tenant.id, OutboxRow.event_type == event_type)
            .order_by(OutboxRow.occurred_at, OutboxRow.event_id)
        )
        events = [
            DomainEvent(
                event_id=row.event_id,
                event_type=row.event_type,
                tenant_id=row.tenant_id,
                aggregate_id=row.aggregate_id,
                occurred_at=row.occurred_at,
                version=row.version,
                payload=row.payload,
            )
            for row in rows
        ]
    documents = [EventEnvelope.from_event(event).model_dump(mode="json") for event in events]
    for document in documents:
        assert_valid_event(document)
    return documents


async def test_a_report_is_filed_once_per_reporter_and_puts_an_approved_item_in_the_queue(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    item = await _item(client, tenant)
    assert item["moderation_status"] == "approved"
    assert (await _queue(client, tenant, kind="reported"))["total"] == 0

    first = await _report(client, tenant, item["id"], "user-1", "harassment")
    again = await _report(client, tenant, item["id"], "user-1", "spam")
    other = await _report(client, tenant, item["id"], "user-2", "hate_speech")

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json() == first.json(), "a repeat returns the open report unchanged"
    report = first.json()
    assert report["status"] == "open"
    assert report["reason"] == "harassment"
    assert report["dsa_category"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    listed = await client.get(f"/api/v1/content/{item['id']}/reports", headers=tenant.headers)
    assert [r["reporter_id"] for r in listed.json()["reports"]] == ["user-2", "user-1"]
    stored = await _get(client, tenant, item["id"])
    assert stored["open_reports"] == 2
    assert stored["moderation_status"] == "approved", "a report is not a decision"
    queue = await _queue(client, tenant, kind="reported")
    assert [i["id"] for i in queue["items"]] == [item["id"]]
    events = await _events(app, tenant, "ReportReceived")
    assert [e["payload"]["open_reports"] for e in events] == [1, 2]
    assert events[0]["payload"]["content_status"] == "approved"


async def test_identical_reports_sent_at_once_leave_one_open_report(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    item = await _item(client, tenant)
    responses = await asyncio.gather(
        *(_report(client, tenant, item["id"], "user-9", "spam") for _ in range(6))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 5 + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert (await _get(client, tenant, item["id"]))["open_reports"] == 1


async def test_another_tenants_item_cannot_be_reported_claimed_or_listed(
    client: httpx.AsyncClient, tenant: TenantHandle, make_tenant: MakeTenant
) -> None:
    item = await _item(client, tenant)
    stranger = await make_tenant()
    assert (await _report(client, stranger, item["id"], "u", "spam")).status_code == 404
    claim = await client.post(f"/api/v1/content/{item['id']}/claim", headers=stranger.headers)
    assert claim.status_code == 404
    listed = await client.get(f"/api/v1/content/{item['id']}/reports", headers=stranger.headers)
    assert listed.status_code == 404
    missing = await _report(client, tenant, str(uuid.uuid4()), "u", "spam")
    assert missing.status_code == 404
    bad = await client.post(
        f"/api/v1/content/{item['id']}/reports",
        headers=tenant.headers,
        json={"reporter_id": "u", "reason": "not-a-reason"},
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"


async def test_a_claim_keeps_other_reviewers_out_until_the_holder_decides(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    alice = tenant
    bob = await _second_key(app, tenant, REVIEWER)
    item = await _item(client, alice)

    claimed = await client.post(
        f"/api/v1/content/{item['id']}/claim", headers=alice.headers, json={"seconds": 300}
    )
    assert claimed.status_code == 200, claimed.text
    holder = claimed.json()["claimed_by"]
    assert holder.startswith("key:")

    refused = await client.post(f"/api/v1/content/{item['id']}/claim", headers=bob.headers)
    assert refused.status_code == 409
    assert holder in refused.json()["detail"]
    decided_by_bob = await _decide(client, bob, item["id"], "rejected")
    assert decided_by_bob.status_code == 409
    assert holder in decided_by_bob.json()["detail"]
    assert (await _get(client, alice, item["id"]))["moderation_status"] == "approved"

    renewed = await client.post(
        f"/api/v1/content/{item['id']}/claim", headers=alice.headers, json={"seconds": 900}
    )
    assert renewed.status_code == 200
    until = datetime.fromisoformat(renewed.json()["claimed_until"])
    assert until > datetime.fromisoformat(claimed.json()["claimed_until"])
    assert (await _queue(client, alice, assigned="me", kind="all"))["total"] == 0, (
        "an approved, unreported item is not in the queue even while claimed"
    )

    assert (await _decide(client, alice, item["id"], "flagged")).status_code == 200
    stored = await _get(client, alice, item["id"])
    assert (stored["claimed_by"], stored["claimed_until"]) == (None, None)
    assert (
        await client.post(f"/api/v1/content/{item['id']}/claim", headers=bob.headers)
    ).is_success
    claims = await _events(app, tenant, "ContentClaimed")
    assert [e["payload"]["claimed_by"] for e in claims][:2] == [holder, holder]


async def test_two_reviewers_claiming_at_once_never_both_win(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    reviewers = [tenant, *[await _second_key(app, tenant, REVIEWER) for _ in range(3)]]
    for _ in range(3):
        item = await _item(client, tenant)
        responses = await asyncio.gather(
            *(
                client.post(f"/api/v1/content/{item['id']}/claim", headers=who.headers)
                for who in reviewers
            )
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409, 409, 409], [r.text for r in responses]
        winner = next(r.json()["claimed_by"] for r in responses if r.status_code == 200)
        assert (await _get(client, tenant, item["id"]))["claimed_by"] == winner


async def test_two_reviewers_deciding_at_once_one_wins_and_the_other_sees_the_claim(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    bob = await _second_key(app, tenant, REVIEWER)
    item = await _item(client, tenant)
    responses = await asyncio.gather(
        _decide(client, tenant, item["id"], "rejected"), _decide(client, bob, item["id"], "flagged")
    )
    # Either both serialise cleanly (the first decision released its claim before the second
    # took one) or the second meets the first's claim: never a 500, never a lost audit.
    assert all(r.status_code in (200, 409) for r in responses), [r.text for r in responses]
    assert any(r.status_code == 200 for r in responses)
    history = (
        await client.get(f"/api/v1/content/{item['id']}/history", headers=tenant.headers)
    ).json()["entries"]
    humans = [e for e in history if e["source"] == "human"]
    assert len(humans) == sum(r.status_code == 200 for r in responses)


async def test_only_the_holder_or_a_lead_releases_a_claim(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    bob = await _second_key(app, tenant, REVIEWER)
    lead = await _second_key(app, tenant, {Scope.MODERATE, Scope.REVIEW_LEAD})
    item = await _item(client, tenant)
    claim = await client.post(f"/api/v1/content/{item['id']}/claim", headers=tenant.headers)
    holder = claim.json()["claimed_by"]

    by_bob = await client.delete(f"/api/v1/content/{item['id']}/claim", headers=bob.headers)
    assert by_bob.status_code == 403
    assert holder in by_bob.json()["detail"]
    by_lead = await client.delete(f"/api/v1/content/{item['id']}/claim", headers=lead.headers)
    assert by_lead.status_code == 204
    assert by_lead.content == b""
    assert "content-type" not in by_lead.headers
    assert (await _get(client, tenant, item["id"]))["claimed_by"] is None
    again = await client.delete(f"/api/v1/content/{item['id']}/claim", headers=lead.headers)
    assert again.status_code == 204, "releasing nothing is not an error"
    assert (
        await client.post(f"/api/v1/content/{item['id']}/claim", headers=bob.headers)
    ).is_success
    own = await client.delete(f"/api/v1/content/{item['id']}/claim", headers=bob.headers)
    assert own.status_code == 204
    released = await _events(app, tenant, "ClaimReleased")
    assert [e["payload"]["holder"] for e in released] == [holder, released[1]["payload"]["holder"]]
    assert released[0]["payload"]["released_by"] != holder


async def test_the_queue_orders_by_reports_then_score_then_age_and_filters_by_claim(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    bob = await _second_key(app, tenant, REVIEWER)
    items = [await _item(client, tenant, title=f"item {n}") for n in range(4)]
    low, high, reported_once, reported_twice = items
    for item in (low, high):
        assert (await _decide(client, tenant, item["id"], "flagged")).status_code == 200
    await _report(client, tenant, reported_once["id"], "u1", "spam")
    await _report(client, tenant, reported_twice["id"], "u1", "spam")
    await _report(client, tenant, reported_twice["id"], "u2", "scam")

    queue = (await _queue(client, tenant))["items"]
    ordered = [i["id"] for i in queue]
    assert ordered[:2] == [reported_twice["id"], reported_once["id"]]
    assert set(ordered[2:]) == {low["id"], high["id"]}
    flagged_scores = [i["moderation_score"] for i in queue[2:]]
    assert flagged_scores == sorted(flagged_scores, reverse=True), "higher engine score first"
    assert [i["id"] for i in (await _queue(client, tenant, kind="flagged"))["items"]] == sorted(
        [low["id"], high["id"]], key=ordered.index
    )

    await client.post(f"/api/v1/content/{reported_twice['id']}/claim", headers=bob.headers)
    mine = await _queue(client, bob, assigned="me")
    assert [i["id"] for i in mine["items"]] == [reported_twice["id"]]
    unassigned = await _queue(client, tenant, assigned="unassigned")
    assert reported_twice["id"] not in [i["id"] for i in unassigned["items"]]
    assert unassigned["total"] == 3
    paged = await _queue(client, tenant, size=1, page=2)
    assert (paged["total"], paged["pages"], [i["id"] for i in paged["items"]]) == (
        4,
        4,
        [reported_once["id"]],
    )


async def test_rejecting_actions_the_reports_approving_dismisses_them_flagging_keeps_them(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    rejected, approved, flagged = [await _item(client, tenant) for _ in range(3)]
    for item in (rejected, approved, flagged):
        assert (await _report(client, tenant, item["id"], "u1", "harassment")).status_code == 201

    assert (await _decide(client, tenant, rejected["id"], "rejected")).status_code == 200
    assert (await _decide(client, tenant, approved["id"], "approved")).status_code == 200
    assert (await _decide(client, tenant, flagged["id"], "flagged")).status_code == 200

    async def statuses(item: Any) -> list[str]:
        response = await client.get(f"/api/v1/content/{item['id']}/reports", headers=tenant.headers)
        return [r["status"] for r in response.json()["reports"]]

    assert await statuses(rejected) == ["actioned"]
    assert await statuses(approved) == ["dismissed"]
    assert await statuses(flagged) == ["open"]
    assert (await _get(client, tenant, rejected["id"]))["open_reports"] == 0
    assert (await _get(client, tenant, flagged["id"]))["open_reports"] == 1
    reported = [i["id"] for i in (await _queue(client, tenant, kind="reported"))["items"]]
    assert reported == [flagged["id"]]
    closed = (
        await client.get(f"/api/v1/content/{rejected['id']}/reports", headers=tenant.headers)
    ).json()["reports"][0]
    assert closed["resolved_by"].startswith("key:")
    assert closed["resolved_at"] is not None
    # A new report after the decision opens again.
    assert (await _report(client, tenant, rejected["id"], "u1", "harassment")).status_code == 201
