"""`moderation db purge` on SQLite and PostgreSQL: published outbox events past the retention
go in batches, unpublished and recent ones stay; expired idempotency records go only when
asked, unexpired ones stay."""

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.api.support import scratch_postgresql
from typer.testing import CliRunner

from moderation.cli.app import app
from moderation.domain.models import (
    ContentType,
    DomainEvent,
    IdempotencyRecord,
    NewContent,
    Principal,
    Scope,
)
from moderation.domain.services import ServiceSet
from moderation.domain.services.data_retention import DataRetention
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.database.tables import OutboxRow
from moderation.infrastructure.repositories import SqlTransactions

runner = CliRunner()

# Keys that sort differently by code point and under a PostgreSQL locale collation, so batches
# that resumed from Python's idea of the last key would skip some.
OLD_KEYS = [f"{prefix}-{n}" for n in range(6) for prefix in ("a", "B", "c", "_d")]


@dataclass
class Seeded:
    tenants: list[uuid.UUID] = field(default_factory=list)
    old_published: set[uuid.UUID] = field(default_factory=set)
    recent_published: set[uuid.UUID] = field(default_factory=set)
    unpublished: set[uuid.UUID] = field(default_factory=set)
    fresh_keys: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    old_keys: list[tuple[uuid.UUID, str]] = field(default_factory=list)


def _event(tenant_id: uuid.UUID, at: datetime) -> DomainEvent:
    return DomainEvent(
        event_id=uuid.uuid4(),
        event_type="ContentCreated",
        tenant_id=tenant_id,
        aggregate_id=uuid.uuid4(),
        occurred_at=at,
        payload={},
    )


async def _seed(url: str) -> Seeded:
    """Two tenants, each with content created through the service (its `ContentCreated` event
    and a fresh idempotency record), 10 events published 10 days ago, one published a day ago,
    and 24 idempotency records from 40 days ago."""
    seeded = Seeded()
    now = datetime.now(UTC)
    database = Database(url)
    transactions = SqlTransactions(database)
    try:
        async with transactions.transaction() as repos:
            services = ServiceSet(repos)
            for name in ("acme", "other"):
                tenant = await services.tenants.create_tenant(name)
                seeded.tenants.append(tenant.id)
                principal = Principal(tenant_id=tenant.id, actor="key:k", scopes=frozenset(Scope))
                new = NewContent(
                    title="t", body="b", content_type=ContentType.TEXT, author_id="author-1"
                )
                await services.content.create(principal, new, idempotency_key="fresh")
                seeded.fresh_keys.append((tenant.id, "fresh"))
            # The two ContentCreated events stay unpublished.
            seeded.unpublished = {e.event_id for e in await repos.events.claim_unpublished(10)}
            for number in range(11):
                tenant_id = seeded.tenants[number % 2]
                event = _event(tenant_id, now - timedelta(days=11))
                await repos.events.add(event)
                recent = number == 10
                published = now - timedelta(days=1 if recent else 10)
                await repos.events.mark_published([event.event_id], published)
                (seeded.recent_published if recent else seeded.old_published).add(event.event_id)
            for number, key in enumerate(OLD_KEYS):
                tenant_id = seeded.tenants[number % 2]
                await repos.idempotency.add(
                    IdempotencyRecord(
                        tenant_id=tenant_id,
                        key=key,
                        request_hash="h",
                        status_code=201,
                        response={"id": str(uuid.uuid4())},
                        created_at=now - timedelta(days=40),
                    )
                )
                seeded.old_keys.append((tenant_id, key))
    finally:
        await database.dispose()
    return seeded


async def _remaining(url: str, seeded: Seeded) -> tuple[set[uuid.UUID], set[tuple[uuid.UUID, str]]]:
    database = Database(url)
    try:
        async with database.transaction(write=False) as session:
            events = set(await session.scalars(select(OutboxRow.event_id)))
        async with SqlTransactions(database).transaction(write=False) as repos:
            keys = {
                (tenant_id, key)
                for tenant_id, key in [*seeded.fresh_keys, *seeded.old_keys]
                if await repos.idempotency.get(tenant_id, key) is not None
            }
    finally:
        await database.dispose()
    return events, keys


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    # A database per test: a purge reaches every tenant.
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'purge.db'}"
        Migrator(url).upgrade()
        yield url
    else:
        with scratch_postgresql("moderation_purge") as url:
            yield url


@pytest.fixture
def seeded(database_url: str) -> Seeded:
    return asyncio.run(_seed(database_url))


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "MODERATION_DATABASE_URL": database_url,
        "MODERATION_DATA_DIR": str(tmp_path),
        "MODERATION_AUTO_MIGRATE": "false",
    }


def test_old_published_events_go_in_batches_and_idempotency_records_stay_unasked(
    env: dict[str, str], database_url: str, seeded: Seeded
) -> None:
    result = runner.invoke(app, ["db", "purge", "--batch-size", "3"], env=env)

    assert result.exit_code == 0, result.output
    assert "outbox events published before" in result.stdout
    assert ": 10 deleted" in result.stdout
    assert "idempotency" not in result.stdout
    events, keys = asyncio.run(_remaining(database_url, seeded))
    assert events == seeded.unpublished | seeded.recent_published
    assert keys == {*seeded.fresh_keys, *seeded.old_keys}


def test_idempotency_records_past_their_days_go_and_fresh_ones_stay(
    env: dict[str, str], database_url: str, seeded: Seeded
) -> None:
    args = ["db", "purge", "--idempotency", "--idempotency-days", "30", "--batch-size", "4"]
    result = runner.invoke(app, args, env=env)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith(": 10 deleted")
    assert lines[1].startswith("idempotency records created before")
    assert lines[1].endswith(f": {len(OLD_KEYS)} deleted")
    events, keys = asyncio.run(_remaining(database_url, seeded))
    assert keys == set(seeded.fresh_keys)
    assert events == seeded.unpublished | seeded.recent_published
    # Nothing is left to purge, so a second run deletes nothing.
    again = runner.invoke(app, args, env=env)
    assert again.exit_code == 0, again.output
    assert [line.rsplit(": ", 1)[1] for line in again.stdout.splitlines()] == ["0 deleted"] * 2


def test_a_shorter_outbox_retention_takes_recent_events_but_never_unpublished_ones(
    env: dict[str, str], database_url: str, seeded: Seeded
) -> None:
    result = runner.invoke(app, ["db", "purge", "--outbox-days", "0"], env=env)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(": 11 deleted")
    events, _ = asyncio.run(_remaining(database_url, seeded))
    assert events == seeded.unpublished


async def _purge_in_batches(url: str, batch_size: int) -> tuple[int, int]:
    database = Database(url)
    try:
        retention = DataRetention(SqlTransactions(database), batch_size=batch_size)
        cutoff = datetime.now(UTC) - timedelta(days=7)
        return (
            await retention.purge_published_events(cutoff),
            await retention.purge_idempotency_records(cutoff),
        )
    finally:
        await database.dispose()


@pytest.mark.parametrize("batch_size", [1, 5, 10, 1000])
def test_batches_of_any_size_delete_the_same_rows(
    database_url: str, seeded: Seeded, batch_size: int
) -> None:
    assert asyncio.run(_purge_in_batches(database_url, batch_size)) == (10, len(OLD_KEYS))
    events, keys = asyncio.run(_remaining(database_url, seeded))
    assert events == seeded.unpublished | seeded.recent_published
    assert keys == set(seeded.fresh_keys)
