"""Strikes and strike rules end to end through the API on SQLite and PostgreSQL: rejections
(by the engine and by reviewers) give the author strikes, a rule fires once when they reach its
count within the window, an overturned appeal removes its strike."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.integration.api.support import TenantHandle
from tests.integration.api.test_appeals_api import _appeal, _decide_appeal
from tests.integration.api.test_review_workflow_api import (
    REVIEWER,
    _decide,
    _events,
    _item,
    _second_key,
)

pytestmark = pytest.mark.asyncio

RULES = [
    {
        "id": "harassment-3-in-30",
        "reason": "harassment",
        "count": 3,
        "window_days": 30,
        "action": "suspend",
    },
    {
        "id": "harassment-2-in-30",
        "reason": "harassment",
        "count": 2,
        "window_days": 30,
        "action": "warn",
    },
    {"id": "spam-1", "reason": "spam", "count": 1, "window_days": 7, "action": "mute"},
]


async def _policy(client: httpx.AsyncClient, tenant: TenantHandle, **extra: Any) -> None:
    response = await client.put(
        "/api/v1/policy", headers=tenant.headers, json={"strike_rules": RULES, **extra}
    )
    assert response.status_code == 200, response.text


async def _author(client: httpx.AsyncClient, tenant: TenantHandle, author: str) -> Any:
    response = await client.get(f"/api/v1/authors/{author}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_reviewer_rejections_fire_each_rule_once_and_an_overturn_removes_a_strike(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    await _policy(client, tenant)
    items = [await _item(client, tenant, author_id="author-9") for _ in range(4)]
    for item in items[:3]:
        assert (await _decide(client, tenant, item["id"], "rejected")).status_code == 200
    history = await _author(client, tenant, "author-9")
    assert history["strikes"] == {"harassment": 3}
    fired = await _events(app, tenant, "AuthorActionRecommended")
    assert [(e["payload"]["rule_id"], e["payload"]["strikes"]) for e in fired] == [
        ("harassment-2-in-30", 2),
        ("harassment-3-in-30", 3),
    ]
    suspend = fired[1]["payload"]
    assert suspend["action"] == "suspend"
    assert suspend["author_id"] == "author-9"
    assert suspend["evidence"] == [item["id"] for item in items[:3]]
    assert [a["action"] for a in history["actions"]] == ["suspend", "warn"]

    # Rejecting the same item again is no new strike.
    assert (await _decide(client, tenant, items[0]["id"], "rejected")).status_code == 200
    assert (await _author(client, tenant, "author-9"))["strikes"] == {"harassment": 3}

    bob = await _second_key(app, tenant, REVIEWER)
    appeal = (await _appeal(client, tenant, items[1]["id"], "author-9")).json()
    decided = await _decide_appeal(client, bob, items[1]["id"], appeal["id"], outcome="overturned")
    assert decided.status_code == 200, decided.text
    assert (await _author(client, tenant, "author-9"))["strikes"] == {"harassment": 2}
    assert len(await _events(app, tenant, "AuthorActionRecommended")) == 2

    # A fourth rejection brings the author back to three: a new crossing, a new recommendation.
    assert (await _decide(client, tenant, items[3]["id"], "rejected")).status_code == 200
    again = await _events(app, tenant, "AuthorActionRecommended")
    assert [e["payload"]["rule_id"] for e in again[2:]] == ["harassment-3-in-30"]
    assert again[2]["payload"]["evidence"] == [items[0]["id"], items[2]["id"], items[3]["id"]]
    # Another author's strikes are their own.
    assert (await _author(client, tenant, "author-1"))["strikes"] == {}


async def test_an_engine_rejection_strikes_too(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    rule = {
        "id": "promo",
        "pattern": "buy cheap pills",
        "kind": "phrase",
        "category": "spam",
        "action": "reject",
    }
    await _policy(client, tenant, term_rules=[rule])
    item = await _item(client, tenant, author_id="spammer", body="buy cheap pills today")
    assert item["moderation_status"] == "rejected"
    assert item["moderated_by"] == "engine"
    assert (await _author(client, tenant, "spammer"))["strikes"] == {"spam": 1}
    [event] = await _events(app, tenant, "AuthorActionRecommended")
    assert event["payload"]["action"] == "mute"
    assert event["aggregate_id"] == item["id"]


async def test_strike_rules_are_validated(client: httpx.AsyncClient, tenant: TenantHandle) -> None:
    twice = [RULES[0], RULES[0]]
    response = await client.put(
        "/api/v1/policy", headers=tenant.headers, json={"strike_rules": twice}
    )
    assert response.status_code in (400, 422)
    assert "unique" in response.text
    bad = [{**RULES[0], "action": "ban-forever"}]
    response = await client.put(
        "/api/v1/policy", headers=tenant.headers, json={"strike_rules": bad}
    )
    assert response.status_code in (400, 422)
