"""A policy whose rules are accepted but slow cannot hold the engine past its rule deadline.

The engine here is the suite's tiny model with `rule_deadline_ms` as `MODERATION_RULE_DEADLINE_MS`
sets it in `moderation serve`. Before, there was no deadline and these regexes ran on Python's
backtracking `re`, where each of them alone takes longer than the test's bound.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from tests.integration.api.support import TenantHandle

from moderation.api.dependencies import forget_credentials
from moderation.core.config import Settings
from moderation.main import create_app
from moderation.ml.engine import Engine, EngineOptions

SLOW_RULES = [
    {
        "id": f"slow{i}",
        "pattern": rf"(?:[ab]{{1,10}}\s?){{1,40}}{last}",
        "kind": "regex",
        "category": "spam",
    }
    for i, last in enumerate("zqxwvu")
]


@pytest_asyncio.fixture
async def app(settings: Settings, tiny_engine: Engine) -> AsyncIterator[FastAPI]:
    deadline = settings.model_copy(update={"rule_deadline_ms": 20.0})
    options = EngineOptions(rule_deadline_ms=deadline.rule_deadline_ms)
    application = create_app(deadline, engine=Engine(tiny_engine.bundle, options=options))
    async with application.router.lifespan_context(application):
        await asyncio.wait_for(application.state.resources.ready.wait(), 30)
        yield application
    forget_credentials()


async def _moderate(client: httpx.AsyncClient, tenant: TenantHandle, text: str) -> Any:
    body = {"items": [{"id": "x", "text": text}]}
    response = await client.post("/api/v1/moderate", headers=tenant.headers, json=body)
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


@pytest.mark.asyncio
async def test_rules_past_the_deadline_are_skipped_and_the_result_is_flagged(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    put = await client.put(
        "/api/v1/policy", headers=tenant.headers, json={"term_rules": SLOW_RULES}
    )
    assert put.status_code == 200, put.text
    await _moderate(client, tenant, "compile the rules")

    started = time.perf_counter()
    slow = await _moderate(client, tenant, "ab" * 10_000)
    elapsed = time.perf_counter() - started
    quick = await _moderate(client, tenant, "Thanks, this fixed my problem!")

    assert elapsed < 3.0
    assert "rules_incomplete" in slow["reasons"]
    assert slow["decision"] in {"flag", "reject"}
    assert "rules_incomplete" not in quick["reasons"]
