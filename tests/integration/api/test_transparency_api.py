"""Transparency figures from a seeded history with fixed times, checked by hand, on SQLite
and PostgreSQL."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.integration.api.conftest import MakeTenant
from tests.integration.api.support import TenantHandle

from moderation.domain.models import (
    AuditEntry,
    ContentItem,
    ContentType,
    ModerationReason,
    ModerationStatus,
)
from moderation.infrastructure.database.tables import ContentAppealRow, ContentReportRow
from moderation.infrastructure.repositories import SqlTransactions

pytestmark = pytest.mark.asyncio

START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)


def _at(month: int, day: int, hour: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, 0, second, tzinfo=UTC)


class _Seed:
    """Writes items, decisions, reports and appeals with the times a test gives."""

    def __init__(self, app: FastAPI, tenant_id: uuid.UUID) -> None:
        self._transactions = SqlTransactions(app.state.resources.database)
        self._tenant_id = tenant_id

    async def item(self, created: datetime) -> uuid.UUID:
        item = ContentItem(
            id=uuid.uuid4(),
            tenant_id=self._tenant_id,
            author_id="author-1",
            title="t",
            body="b",
            content_type=ContentType.TEXT,
            moderation_status=ModerationStatus.APPROVED,
            created_at=created,
        )
        async with self._transactions.transaction() as repos:
            await repos.content.add(item, due_at=None)
        return item.id

    async def decision(
        self, content_id: uuid.UUID, source: str, status: str, at: datetime, *reasons: str
    ) -> None:
        entry = AuditEntry(
            id=uuid.uuid4(),
            tenant_id=self._tenant_id,
            content_id=content_id,
            source="engine" if source == "engine" else "human",
            actor="engine" if source == "engine" else "user:ana",
            status=ModerationStatus(status),
            reasons=[ModerationReason(r) for r in reasons],
            created_at=at,
        )
        async with self._transactions.transaction() as repos:
            await repos.audit.add(entry)

    async def report(
        self, content_id: uuid.UUID, filed: datetime, status: str, resolved: datetime | None
    ) -> None:
        async with self._transactions.transaction() as repos:
            repos.unit.session.add(
                ContentReportRow(
                    id=uuid.uuid4(),
                    tenant_id=self._tenant_id,
                    content_id=content_id,
                    reporter_id=f"u-{uuid.uuid4().hex[:6]}",
                    reason="harassment",
                    status=status,
                    created_at=filed,
                    resolved_at=resolved,
                )
            )

    async def appeal(
        self, content_id: uuid.UUID, filed: datetime, status: str, decided: datetime | None
    ) -> None:
        async with self._transactions.transaction() as repos:
            repos.unit.session.add(
                ContentAppealRow(
                    id=uuid.uuid4(),
                    tenant_id=self._tenant_id,
                    content_id=content_id,
                    author_id="author-1",
                    statement="s",
                    appealed_status="rejected",
                    appealed_actor="engine",
                    status=status,
                    created_at=filed,
                    decided_at=decided,
                )
            )


async def _figures(client: httpx.AsyncClient, who: TenantHandle, **params: str) -> Any:
    response = await client.get("/api/v1/transparency", headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_figures_of_a_seeded_history_match_the_hand_count(
    app: FastAPI, client: httpx.AsyncClient, tenant: TenantHandle, make_tenant: MakeTenant
) -> None:
    seed = _Seed(app, tenant.id)
    # i1: engine approves in 2 s, a reviewer rejects it the next day (an overturn).
    i1 = await seed.item(_at(3, 1, 10))
    await seed.decision(i1, "engine", "approved", _at(3, 1, 10, 2))
    await seed.decision(i1, "human", "rejected", _at(3, 2, 10), "harassment")
    # i2: engine rejects in 4 s, a reviewer agrees (reviewed, not overturned).
    i2 = await seed.item(_at(3, 1, 11))
    await seed.decision(i2, "engine", "rejected", _at(3, 1, 11, 4), "spam")
    await seed.decision(i2, "human", "rejected", _at(3, 3), "spam")
    # i3: engine flags in 6 s, nobody reviews it.
    i3 = await seed.item(_at(3, 5, 12))
    await seed.decision(i3, "engine", "flagged", _at(3, 5, 12, 6), "hate_speech", "harassment")
    # i4: first decided before the period, re-decided by a reviewer within it.
    i4 = await seed.item(_at(2, 27))
    await seed.decision(i4, "engine", "approved", _at(2, 27, 0, 1))
    await seed.decision(i4, "human", "approved", _at(3, 10))
    # i5: stored in the period, decided after it.
    i5 = await seed.item(_at(3, 31, 23))
    await seed.decision(i5, "engine", "approved", _at(4, 1, 0, 1))
    # Reports: one actioned after 22 h, one dismissed after 24 h, one still open, one older.
    await seed.report(i1, _at(3, 1, 12), "actioned", _at(3, 2, 10))
    await seed.report(i4, _at(3, 9, 10), "dismissed", _at(3, 10, 10))
    await seed.report(i3, _at(3, 20), "open", None)
    await seed.report(i2, _at(2, 20), "dismissed", _at(2, 21))
    # Appeals: one upheld after 24 h, one open.
    await seed.appeal(i1, _at(3, 3), "upheld", _at(3, 4))
    await seed.appeal(i2, _at(3, 4), "open", None)
    # Another tenant's decision in the period counts for nobody here.
    other = await make_tenant()
    stranger = _Seed(app, other.id)
    await stranger.decision(await stranger.item(_at(3, 2)), "engine", "rejected", _at(3, 2, 0, 1))

    figures = await _figures(client, tenant, **{"from": START.isoformat(), "to": END.isoformat()})

    assert figures["decisions"] == 6
    assert figures["decisions_by_source"] == {"engine": 3, "human": 3}
    assert figures["decisions_by_status"] == {"approved": 2, "rejected": 3, "flagged": 1}
    assert figures["decisions_by_reason"] == {
        "none": 2,
        "harassment": 2,
        "spam": 2,
        "hate_speech": 1,
    }
    assert figures["automated_share"] == 0.5
    assert figures["median_seconds_to_first_decision"] == 4.0  # of 2, 4 and 6 s
    assert (figures["reports_received"], figures["reports_actioned"]) == (3, 1)
    assert figures["reports_dismissed"] == 1
    assert figures["median_seconds_report_to_decision"] == (22 + 24) / 2 * 3600
    assert (figures["appeals_received"], figures["appeals_upheld"]) == (2, 1)
    assert figures["appeals_overturned"] == 0
    assert figures["median_seconds_to_appeal_decision"] == 86_400
    assert (figures["engine_decisions_reviewed"], figures["engine_decisions_overturned"]) == (2, 1)
    assert figures["engine_overturn_rate"] == pytest.approx(1 / 3)

    empty = await _figures(
        client, other, **{"from": _at(5, 1).isoformat(), "to": _at(6, 1).isoformat()}
    )
    assert (empty["decisions"], empty["automated_share"], empty["engine_overturn_rate"]) == (
        0,
        None,
        None,
    )


async def test_a_bad_period_is_a_problem_not_a_report(
    client: httpx.AsyncClient, tenant: TenantHandle
) -> None:
    cases = [
        {"from": END.isoformat(), "to": START.isoformat()},
        {"from": START.isoformat(), "to": (START + timedelta(days=400)).isoformat()},
        {"from": "2026-03-01T00:00:00", "to": "2026-04-01T00:00:00"},
        {"from": "yesterday", "to": END.isoformat()},
    ]
    for params in cases:
        response = await client.get("/api/v1/transparency", headers=tenant.headers, params=params)
        assert response.status_code in (400, 422), (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
