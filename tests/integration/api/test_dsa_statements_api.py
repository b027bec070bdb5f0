"""DSA statements of reasons from a seeded history, on SQLite and PostgreSQL: each field as
docs/api.md lists it, the automation and source derived from the item's history, batches of
100 with a cursor, and CSV."""

import csv
import io
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from tests.integration.api.support import TenantHandle
from tests.integration.api.test_transparency_api import END, START, _at, _Seed

pytestmark = pytest.mark.asyncio

DOCS = Path(__file__).parents[3] / "docs" / "api.md"


def _documented_fields() -> dict[str, str]:
    """The field table of docs/api.md's statements section: name → allowed values column."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### `GET /api/v1/dsa/statements")[1].split("\n### ")[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", section, flags=re.MULTILINE)
    return {name: values.strip() for name, values in rows}


async def _batch(client: httpx.AsyncClient, who: TenantHandle, **params: str) -> httpx.Response:
    query = {"from": START.isoformat(), "to": END.isoformat(), **params}
    return await client.get("/api/v1/dsa/statements", headers=who.headers, params=query)


async def test_statements_follow_the_documented_fields_and_the_items_history(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    seed = _Seed(app, tenant.id)
    reported = await seed.item(_at(3, 1, 10))
    await seed.decision(reported, "engine", "approved", _at(3, 1, 10, 1))
    await seed.report(reported, _at(3, 2), "actioned", _at(3, 3))
    await seed.decision(reported, "human", "rejected", _at(3, 3), "harassment")
    automated = await seed.item(_at(3, 4))
    await seed.decision(automated, "engine", "rejected", _at(3, 4, 0, 2), "spam")
    manual = await seed.item(_at(3, 5))
    await seed.decision(manual, "human", "rejected", _at(3, 6), "adult_content")
    approved = await seed.item(_at(3, 7))
    await seed.decision(approved, "engine", "approved", _at(3, 7, 0, 1))
    late = await seed.item(_at(3, 31, 23))
    await seed.decision(late, "engine", "rejected", _at(4, 1, 0, 1), "spam")

    response = await _batch(client, tenant)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_cursor"] is None
    statements = {s["puid"]: s for s in body["statements"]}
    assert set(statements) == {str(reported), str(automated), str(manual)}

    documented = _documented_fields()
    for found in statements.values():
        assert set(found) == set(documented), "every field documented, none undocumented"
        for name, value in found.items():
            allowed = re.findall(r"`([A-Z][A-Z0-9_]+|Yes|No)`", documented[name])
            for one in value if isinstance(value, list) else [value]:
                if allowed and one is not None:
                    assert one in allowed, (name, one, allowed)

    first = statements[str(reported)]
    assert (first["automated_decision"], first["automated_detection"]) == (
        "AUTOMATED_DECISION_PARTIALLY",
        "Yes",
    )
    assert first["source_type"] == "SOURCE_ARTICLE_16"
    assert first["category"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    assert (first["content_date"], first["application_date"]) == ("2026-03-01", "2026-03-03")
    assert "user report" in first["decision_facts"]
    second = statements[str(automated)]
    assert (second["automated_decision"], second["source_type"]) == (
        "AUTOMATED_DECISION_FULLY",
        "SOURCE_VOLUNTARY",
    )
    assert second["category"] == "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"
    third = statements[str(manual)]
    assert (third["automated_decision"], third["automated_detection"]) == (
        "AUTOMATED_DECISION_NOT_AUTOMATED",
        "No",
    )
    assert third["category"] == "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT"

    as_csv = await _batch(client, tenant, format="csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["puid"] for r in rows] == [s["puid"] for s in body["statements"]]
    assert rows[0]["decision_visibility"] == "DECISION_VISIBILITY_CONTENT_REMOVED"


async def test_batches_of_one_hundred_follow_the_cursor_without_gaps_or_repeats(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    seed = _Seed(app, tenant.id)
    for n in range(105):
        item = await seed.item(_at(3, 2))
        # Some share a timestamp: the cursor breaks ties by entry id.
        await seed.decision(item, "engine", "rejected", _at(3, 3, n // 10), "spam")

    first = (await _batch(client, tenant)).json()
    assert len(first["statements"]) == 100
    assert first["next_cursor"]
    second = (await _batch(client, tenant, after=first["next_cursor"])).json()
    assert len(second["statements"]) == 5
    assert second["next_cursor"] is None
    seen = [s["puid"] for s in first["statements"] + second["statements"]]
    assert len(set(seen)) == 105
    bad = await _batch(client, tenant, after="not-a-cursor")
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
