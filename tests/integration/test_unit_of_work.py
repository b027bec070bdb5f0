"""The unit of work runs the effects its committed changes noted: after the commit, once each,
and never after a rollback."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from moderation.domain.models import DomainEvent, Job, JobKind, JobStatus
from moderation.domain.services import TenantService
from moderation.infrastructure.database import AfterCommitActions, Database, Migrator
from moderation.infrastructure.repositories import (
    SqlApiKeyRepository,
    SqlEventRepository,
    SqlJobRepository,
    SqlTenantRepository,
)


class Recorder:
    """Actions that record what they were asked to do, and whether the data was visible."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.calls: list[tuple[str, object]] = []
        self.visible_jobs: list[bool] = []

    def actions(self) -> AfterCommitActions:
        return AfterCommitActions(
            invalidate_content=self.invalidate,
            forget_policy=lambda tenant: self.calls.append(("forget_policy", tenant)),
            moderate=self.moderate,
            run_job=self.run_job,
            wake_relay=lambda: self.calls.append(("wake_relay", None)),
            wake_deliveries=lambda: self.calls.append(("wake_deliveries", None)),
        )

    async def invalidate(self, changed: Collection[tuple[uuid.UUID, uuid.UUID]]) -> None:
        self.calls.append(("invalidate_content", sorted(changed)))

    async def moderate(self, content_ids: Sequence[uuid.UUID]) -> None:
        self.calls.append(("moderate", list(content_ids)))

    async def run_job(self, job_id: uuid.UUID) -> None:
        # Another session must already find the job: the effect runs after the commit.
        async with self.database.sessions() as session:
            self.visible_jobs.append(await SqlJobRepository(session).find(job_id) is not None)
        self.calls.append(("run_job", job_id))


@pytest_asyncio.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'uow.db'}"
    await asyncio.to_thread(Migrator(url).upgrade)
    database = Database(url)
    yield database
    await database.dispose()


@pytest_asyncio.fixture
async def tenant(database: Database) -> uuid.UUID:
    async with database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        created = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
    return created.id


def _job(tenant_id: uuid.UUID) -> Job:
    return Job(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        kind=JobKind.RESCORE,
        status=JobStatus.QUEUED,
        created_at=datetime.now(UTC),
        created_by="test",
    )


def _event(tenant_id: uuid.UUID) -> DomainEvent:
    return DomainEvent(
        event_id=uuid.uuid4(),
        event_type="ContentCreated",
        tenant_id=tenant_id,
        aggregate_id=uuid.uuid4(),
        occurred_at=datetime.now(UTC),
        payload={},
    )


@pytest.mark.asyncio
async def test_effects_run_once_each_after_the_commit(
    database: Database, tenant: uuid.UUID
) -> None:
    recorder = Recorder(database)
    database.after_commit = recorder.actions()
    item = uuid.uuid4()
    job = _job(tenant)
    async with database.unit_of_work() as unit:
        await SqlJobRepository(unit.session).add(job)
        events = SqlEventRepository(unit.session)
        await events.add(_event(tenant))
        await events.add(_event(tenant))
        for _ in range(2):
            unit.effects.content_pending([item])
            unit.effects.content_changed(tenant, item)
            unit.effects.policy_changed(tenant)
            unit.effects.deliveries_added()
        assert recorder.calls == []  # nothing before the commit

    assert recorder.visible_jobs == [True]
    assert recorder.calls == [
        ("invalidate_content", [(tenant, item)]),
        ("forget_policy", tenant),
        ("moderate", [item]),
        ("run_job", job.id),
        ("wake_relay", None),
        ("wake_deliveries", None),
    ]


@pytest.mark.asyncio
async def test_no_effect_runs_after_a_rollback(database: Database, tenant: uuid.UUID) -> None:
    recorder = Recorder(database)
    database.after_commit = recorder.actions()

    async def failing_route() -> None:
        async with database.transaction() as session:
            await SqlJobRepository(session).add(_job(tenant))
            await SqlEventRepository(session).add(_event(tenant))
            raise RuntimeError("the route failed")

    with pytest.raises(RuntimeError):
        await failing_route()

    assert recorder.calls == []


@pytest.mark.asyncio
async def test_a_rolled_back_try_keeps_none_of_its_effects(
    database: Database, tenant: uuid.UUID
) -> None:
    # A lost race rolls the session back and tries again (blocklist edits): only the try that
    # commits counts.
    recorder = Recorder(database)
    database.after_commit = recorder.actions()
    first, second = _job(tenant), _job(tenant)
    async with database.unit_of_work() as unit:
        await SqlJobRepository(unit.session).add(first)
        await unit.rollback()
        await SqlJobRepository(unit.session).add(second)

    assert recorder.calls == [("run_job", second.id)]


@pytest.mark.asyncio
async def test_a_failing_effect_fails_neither_the_caller_nor_the_others(
    database: Database,
) -> None:
    recorder = Recorder(database)

    async def broken(_ids: Sequence[uuid.UUID]) -> None:
        raise ConnectionError("broker down")

    database.after_commit = recorder.actions()
    database.after_commit.moderate = broken
    async with database.unit_of_work() as unit:
        unit.effects.content_pending([uuid.uuid4()])
        unit.effects.events_written()

    assert recorder.calls == [("wake_relay", None)]
