"""Content is never lost: engine failures and worker crashes leave items pending and retried.

These tests build their own app (not the `app` fixture) so that no second worker with a healthy
engine shares their database while they run.
"""

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from tests.integration.api.support import (
    ALL_SCOPES,
    TenantHandle,
    content_body,
    make_settings,
    wait_until_decided,
)

from moderation.api.dependencies import forget_credentials
from moderation.domain.models import ModerationResult
from moderation.domain.policy import ModerationPolicy
from moderation.domain.services import TenantService
from moderation.infrastructure.database.tables import ContentRow
from moderation.infrastructure.repositories import SqlApiKeyRepository, SqlTenantRepository
from moderation.main import create_app
from moderation.ml.engine import Engine
from moderation.workers import InProcessWorker


class _ControlledEngine(Engine):
    """The real engine behind switches: fails while `broken`, holds texts with `hold_marker`."""

    def __init__(self, inner: Engine) -> None:
        # No super().__init__(): every call is delegated to the already loaded `inner` engine.
        self._inner = inner
        self.broken = False
        self.failures = 0
        self.hold_marker: str | None = None
        self.holding = threading.Event()
        self.release = threading.Event()

    @property
    def model_version(self) -> str:
        return self._inner.model_version

    def score(
        self, texts: Sequence[str], policy: ModerationPolicy | None = None
    ) -> list[ModerationResult]:
        if self.broken:
            self.failures += 1
            raise RuntimeError("engine unavailable")
        if self.hold_marker is not None and any(self.hold_marker in text for text in texts):
            self.holding.set()
            self.release.wait(10)
        return self._inner.score(texts, policy)


@asynccontextmanager
async def _service(
    database_url: str, engine: Engine, **overrides: object
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient, TenantHandle]]:
    settings = make_settings(
        database_url, worker_poll_seconds=0.02, worker_base_backoff_seconds=0.01, **overrides
    )
    app = create_app(settings, engine=engine)
    async with app.router.lifespan_context(app):
        await asyncio.wait_for(app.state.resources.ready.wait(), 30)
        tenant = await _new_tenant(app)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield app, client, tenant
    forget_credentials()


async def _new_tenant(app: FastAPI) -> TenantHandle:
    async with app.state.resources.database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        tenant = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
        _, key = await service.create_key(tenant.name, set(ALL_SCOPES))
    return TenantHandle(name=tenant.name, id=tenant.id, key=key)


async def _row(app: FastAPI, content_id: str) -> ContentRow:
    async with app.state.resources.database.transaction() as session:
        row: ContentRow | None = await session.get(ContentRow, uuid.UUID(content_id))
    assert row is not None
    return row


async def _eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.02)


async def _post(client: httpx.AsyncClient, tenant: TenantHandle, **overrides: object) -> str:
    response = await client.post(
        "/api/v1/content", headers=tenant.headers, json=content_body(**overrides)
    )
    assert response.status_code == 201, response.text
    content_id: str = response.json()["id"]
    return content_id


async def _get(client: httpx.AsyncClient, tenant: TenantHandle, path: str) -> Any:
    response = await client.get(f"/api/v1/content/{path}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.asyncio
async def test_failing_engine_leaves_content_pending_and_retried_until_it_recovers(
    database_url: str, tiny_engine: Engine
) -> None:
    engine = _ControlledEngine(tiny_engine)
    engine.broken = True
    async with _service(database_url, engine) as (app, client, tenant):
        content_id = await _post(client, tenant)

        async def retried() -> bool:
            return (await _row(app, content_id)).attempts >= 2

        await _eventually(retried)
        during = await _get(client, tenant, content_id)
        row = await _row(app, content_id)
        history = await _get(client, tenant, f"{content_id}/history")
        stats = (await client.get("/api/v1/content/stats", headers=tenant.headers)).json()
        engine.broken = False
        decided = await wait_until_decided(client, tenant, content_id)
        recovered = await _row(app, content_id)

    assert engine.failures >= 2
    assert (during["moderation_status"], during["moderated_by"]) == ("pending", None)
    assert during["moderation_score"] is None
    assert row.last_error is not None
    assert "engine unavailable" in row.last_error
    assert row.next_attempt_at is not None
    assert history["entries"] == []
    assert stats["by_status"]["pending"] == 1
    assert decided["moderated_by"] == "engine"
    assert decided["moderation_status"] in {"approved", "flagged", "rejected"}
    assert recovered.last_error is None
    assert recovered.attempts > row.attempts


@pytest.mark.asyncio
async def test_human_decision_during_an_outage_stands_after_recovery(
    database_url: str, tiny_engine: Engine
) -> None:
    engine = _ControlledEngine(tiny_engine)
    engine.broken = True
    async with _service(database_url, engine) as (app, client, tenant):
        reviewed = await _post(client, tenant)

        async def attempted() -> bool:
            return (await _row(app, reviewed)).attempts >= 1

        await _eventually(attempted)
        decision = await client.post(
            f"/api/v1/content/{reviewed}/moderate",
            headers=tenant.headers,
            json={"status": "approved", "notes": "decided during the outage"},
        )
        engine.broken = False
        # The worker handles batches one at a time: once a later item is decided, any batch
        # that could still have held the reviewed item is done.
        await wait_until_decided(client, tenant, await _post(client, tenant))
        after = await _get(client, tenant, reviewed)
        history = await _get(client, tenant, f"{reviewed}/history")

    assert decision.status_code == 200, decision.text
    assert after["moderation_status"] == "approved"
    assert after["moderated_by"].startswith("key:")
    assert [(e["source"], e["notes"]) for e in history["entries"]] == [
        ("human", "decided during the outage")
    ]


@pytest.mark.asyncio
async def test_human_decision_while_the_engine_scores_is_not_overwritten(
    database_url: str, tiny_engine: Engine
) -> None:
    engine = _ControlledEngine(tiny_engine)
    engine.hold_marker = f"hold-{uuid.uuid4().hex}"
    try:
        async with _service(database_url, engine) as (_, client, tenant):
            held = await _post(
                client, tenant, body=f"You are a stupid idiot and I hate you {engine.hold_marker}"
            )

            async def holding() -> bool:
                return engine.holding.is_set()

            # The worker has claimed the item and the engine is scoring it right now.
            await _eventually(holding)
            decision = await client.post(
                f"/api/v1/content/{held}/moderate",
                headers=tenant.headers,
                json={"status": "approved", "notes": "sarcasm between friends"},
            )
            engine.release.set()
            await wait_until_decided(client, tenant, await _post(client, tenant))
            after = await _get(client, tenant, held)
            history = await _get(client, tenant, f"{held}/history")
    finally:
        engine.release.set()

    assert decision.status_code == 200, decision.text
    assert after["moderation_status"] == "approved"
    assert after["moderated_by"].startswith("key:")
    assert [e["source"] for e in history["entries"]] == ["human"]


@pytest.mark.asyncio
async def test_items_claimed_by_a_crashed_worker_are_retried_after_the_lease(
    database_url: str, tiny_engine: Engine
) -> None:
    async with _service(database_url, tiny_engine, worker_enabled=False) as (app, client, tenant):
        resources = app.state.resources
        content_id = await _post(client, tenant)
        # As if a worker had claimed the item and died before deciding it.
        lease_until = datetime.now(UTC) + timedelta(seconds=0.3)
        async with resources.database.transaction() as session:
            await session.execute(
                update(ContentRow)
                .where(ContentRow.id == uuid.UUID(content_id))
                .values(attempts=1, next_attempt_at=lease_until)
            )
        worker = InProcessWorker(resources.transactions, resources.scorer, batch_size=1000)

        await worker.run_once()
        leased = await _get(client, tenant, content_id)
        await asyncio.sleep(max(0.0, (lease_until - datetime.now(UTC)).total_seconds()) + 0.05)
        await worker.run_once()
        retried = await _get(client, tenant, content_id)
        row = await _row(app, content_id)

    assert leased["moderation_status"] == "pending"
    assert retried["moderation_status"] != "pending"
    assert retried["moderated_by"] == "engine"
    assert row.attempts == 2
